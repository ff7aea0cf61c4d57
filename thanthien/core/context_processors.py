"""Template context for the staff workspace menu."""

from thanthien.core.staff import has_staff_role
from thanthien.people.permissions import AUDIT_LOG_ROLES


def staff_menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"staff_can_read_audit": has_staff_role(user, AUDIT_LOG_ROLES)}
