"""Reads of the portal's news posts, the commune's pledge and its current greetings."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone

from thanthien.places.models import Commune
from thanthien.portal.posts import Pledge, Post

PLEDGE_FILE = Path(__file__).resolve().parent / "data" / "pledge.json"


def posts_published(*, commune: Commune) -> QuerySet[Post]:
    """The commune's published posts, newest first (a post dated in the future waits)."""
    return Post.objects.filter(
        commune=commune, is_published=True, published_at__lte=timezone.now()
    ).order_by("-published_at", "-pk")


def post_published(*, commune: Commune, slug: str) -> Post | None:
    return posts_published(commune=commune).filter(slug=slug).first()


@dataclass(frozen=True)
class PledgeText:
    title: str
    intro: str
    items: list[str]
    is_default: bool


@cache
def pledge_defaults() -> dict:
    with PLEDGE_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)


def pledge_for(commune: Commune) -> PledgeText:
    """The commune's own pledge, or the default wording with its name filled in."""
    own = Pledge.objects.filter(commune=commune).first()
    if own is not None:
        return PledgeText(
            title=own.title, intro=own.intro, items=own.item_lines(), is_default=False
        )
    data = pledge_defaults()
    return PledgeText(
        title=data["title"],
        intro=data["intro"].replace("{commune}", commune.name),
        items=[item["text"] for item in data["items"]],
        is_default=True,
    )
