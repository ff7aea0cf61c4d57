"""Reads of the notify app, scoped to the acting user's communes."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from thanthien.core import tenancy
from thanthien.notify.models import Message, MessageTemplate


def messages_visible(*, user) -> QuerySet:
    return tenancy.scope(Message.objects.select_related("commune"), user)


def messages_for_related(*, user, obj) -> QuerySet:
    """The notifications sent about one record (a dossier's history), newest first."""
    return (
        messages_visible(user=user)
        .filter(related_type=ContentType.objects.get_for_model(obj), related_id=str(obj.pk))
        .prefetch_related("attempts")
    )


def message_templates_visible(*, user) -> QuerySet:
    """The user's communes' templates and the national defaults."""
    ids = tenancy.visible_commune_ids(user)
    templates = MessageTemplate.objects.select_related("commune")
    if ids is None:
        return templates
    return templates.filter(Q(commune_id__in=ids) | Q(commune__isnull=True))
