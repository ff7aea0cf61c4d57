"""Writes of news posts and the pledge (P1, P2), for the leader's and administrator's pages.

Only a leader or the commune administrator of the post's commune writes; django-auditlog
records each save with its actor.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import require_commune_role
from thanthien.core.text import slugify_vi
from thanthien.people.roles import Role
from thanthien.portal.posts import Pledge, Post

WRITER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
POST_FIELDS = ("title", "kind", "summary", "body", "image", "image_alt", "published_at")


def can_write(user) -> bool:
    return getattr(user, "role", None) in WRITER_ROLES and user.has_perm("portal.change_post")


def _require_writer(actor, commune_id: int, perm: str) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=WRITER_ROLES,
        perm=perm,
        message=_("Chỉ lãnh đạo hoặc quản trị viên của xã viết tin của xã mình."),
    )


def _unique_slug(commune_id: int, title: str, *, exclude_pk: int | None) -> str:
    base = (slugify_vi(title) or "tin")[:100].strip("-") or "tin"
    taken = set(
        Post.objects.filter(commune_id=commune_id, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def post_save(*, actor, commune, post: Post | None = None, publish: bool, **values) -> Post:
    """Create or edit a post; `publish` puts it on the portal (or takes it down)."""
    post = post or Post(commune=commune)
    _require_writer(actor, post.commune_id, "portal.change_post" if post.pk else "portal.add_post")
    for name in POST_FIELDS:
        if name in values:
            setattr(post, name, values[name])
    post.title = " ".join((post.title or "").split())
    post.body = (post.body or "").replace("\r\n", "\n").strip()
    errors = {}
    if not post.title:
        errors["title"] = _("Ghi tiêu đề tin.")
    if not post.body:
        errors["body"] = _("Nội dung tin không được để trống.")
    if post.image and not post.image_alt.strip():
        errors["image_alt"] = _("Mô tả ảnh cho người đọc bằng trình đọc màn hình.")
    if errors:
        raise ValidationError(errors)
    if not post.pk or not post.slug:
        post.slug = _unique_slug(post.commune_id, post.title, exclude_pk=post.pk)
    # A published post with a future date appears on the portal from that date on.
    post.published_at = post.published_at or timezone.now()
    post.is_published = publish
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def post_delete(*, actor, post: Post) -> None:
    _require_writer(actor, post.commune_id, "portal.delete_post")
    post.delete()


@transaction.atomic
def pledge_save(*, actor, commune, title: str, intro: str, items: str) -> Pledge:
    """The commune's own wording of the pledge; printed on its poster."""
    _require_writer(actor, commune.pk, "portal.change_pledge")
    lines = [line.strip() for line in items.replace("\r\n", "\n").split("\n") if line.strip()]
    errors = {}
    if not title.strip():
        errors["title"] = _("Ghi tiêu đề bản cam kết.")
    if not lines:
        errors["items"] = _("Ghi ít nhất một điều cam kết, mỗi điều một dòng.")
    if errors:
        raise ValidationError(errors)
    pledge = Pledge.objects.select_for_update().filter(commune=commune).first()
    pledge = pledge or Pledge(commune=commune)
    pledge.title, pledge.intro, pledge.items = title.strip(), intro.strip(), "\n".join(lines)
    pledge.save()
    return pledge
