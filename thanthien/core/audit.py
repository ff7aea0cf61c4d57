"""Reads of the audit log (django-auditlog), scoped to the communes a user may see."""

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet

from thanthien.core import tenancy


def audit_entries_visible_to(user) -> QuerySet[LogEntry]:
    """Entries about records of the user's communes (or province, for province staff)."""
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    ids = tenancy.visible_commune_ids(user)
    if ids is None:
        return qs
    condition = Q(additional_data__commune_id__in=ids)
    if getattr(user, "province_id", None):
        condition |= Q(additional_data__province_id=user.province_id)
    return qs.filter(condition)


def audit_entry_search(
    *, user, query: str = "", action: int | None = None, model: str = ""
) -> QuerySet[LogEntry]:
    qs = audit_entries_visible_to(user)
    if query:
        qs = qs.filter(
            Q(object_repr__icontains=query)
            | Q(actor__username__icontains=query)
            | Q(actor__full_name__icontains=query)
            | Q(remote_addr__startswith=query)
        )
    if action is not None:
        qs = qs.filter(action=action)
    if model:
        app_label, _, model_name = model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model_name)
    return qs
