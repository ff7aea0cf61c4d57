"""What each role may do with officials, offices and users."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: crud("people", "official", "office", "user") | view("people", "position"),
    Role.COMMUNE_LEADER: view("people", "official", "office", "position"),
    Role.COMMUNE_OFFICIAL: view("people", "official", "office", "position"),
    Role.FRONT_MEMBER: view("people", "official", "office"),
    Role.PROVINCE_EVALUATOR: view("people", "official", "office", "position"),
    Role.PROVINCE_ADMIN: crud("people", "user") | view("people", "official", "office", "position"),
}

# Who may read the audit log in the staff workspace.
AUDIT_LOG_ROLES = frozenset({Role.COMMUNE_ADMIN, Role.PROVINCE_ADMIN})
