"""Workspace pages shared by every app: the dashboard and the audit log."""

from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from thanthien.core import tenancy
from thanthien.core.audit import audit_entries_visible_to, audit_entry_search
from thanthien.core.staff import register_scoped_view, staff_required
from thanthien.feedback.dialogue_selectors import dialogue_warnings
from thanthien.people.permissions import AUDIT_LOG_ROLES
from thanthien.portal.selectors import reception_warnings


@staff_required()
def dashboard(request):
    context = {
        "communes": tenancy.visible_communes(request.user)[:50],
        "warnings": reception_warnings(user=request.user) + dialogue_warnings(user=request.user),
    }
    return render(request, "staff/dashboard.html", context)


@staff_required(AUDIT_LOG_ROLES)
def audit_log(request):
    query = request.GET.get("q", "").strip()
    action = request.GET.get("action", "")
    action_value = int(action) if action.isdigit() else None
    entries = audit_entry_search(user=request.user, query=query, action=action_value)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "action": action_value,
        "actions": LogEntry.Action.choices,
    }
    return render(request, "staff/audit_log.html", context)


@staff_required(AUDIT_LOG_ROLES)
def audit_entry(request, pk: int):
    entry = get_object_or_404(audit_entries_visible_to(request.user), pk=pk)
    return render(request, "staff/audit_entry.html", {"entry": entry})


register_scoped_view("staff:audit_entry", "auditlog.LogEntry")
