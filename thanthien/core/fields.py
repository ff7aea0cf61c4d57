"""Model fields several apps declare alike."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_reference(verbose_name) -> models.ForeignKey:
    """Who did something to a row (drafted, approved, edited it): optional, no reverse name,
    and a user who did something is never deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def hamlet_reference() -> models.ForeignKey:
    """The hamlet a row belongs to, if known: optional, no reverse name, and the row stays
    (without its hamlet) when the hamlet is deleted."""
    return models.ForeignKey(
        "places.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )


def official_reference(verbose_name) -> models.ForeignKey:
    """An official named on a row (who signs it): optional, no reverse name, and an official
    named on a row is never deleted."""
    return models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )
