"""What each role may do with the commune's public information."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

_PORTAL_MODELS = ("communeprofile", "receptionslot", "conductitem")

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: crud("portal", *_PORTAL_MODELS),
    Role.COMMUNE_LEADER: view("portal", *_PORTAL_MODELS),
    Role.COMMUNE_OFFICIAL: view("portal", *_PORTAL_MODELS),
    Role.FRONT_MEMBER: view("portal", *_PORTAL_MODELS),
    Role.PROVINCE_EVALUATOR: view("portal", *_PORTAL_MODELS),
    Role.PROVINCE_ADMIN: view("portal", *_PORTAL_MODELS),
}

# News posts and the pledge (P1, P2): the administrator and the leader write them.
_COMMUNICATION = crud("portal", "post", "pledge")
for _role in (Role.COMMUNE_ADMIN, Role.COMMUNE_LEADER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _COMMUNICATION
for _role in (Role.COMMUNE_OFFICIAL, Role.FRONT_MEMBER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | view("portal", "post", "pledge")
