"""Who may see notifications and edit their templates."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

_MESSAGES = view("notify", "message", "messageattempt")

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: _MESSAGES | crud("notify", "messagetemplate"),
    Role.COMMUNE_LEADER: _MESSAGES | view("notify", "messagetemplate"),
    Role.COMMUNE_OFFICIAL: _MESSAGES | view("notify", "messagetemplate"),
    Role.PROVINCE_ADMIN: view("notify", "messagetemplate"),
    Role.PROVINCE_EVALUATOR: view("notify", "messagetemplate"),
}
