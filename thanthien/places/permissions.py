"""What each role may do with places."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: crud("places", "hamlet") | view("places", "commune"),
    Role.COMMUNE_LEADER: view("places", "hamlet", "commune"),
    Role.COMMUNE_OFFICIAL: view("places", "hamlet", "commune"),
    Role.FRONT_MEMBER: view("places", "hamlet", "commune"),
    Role.PROVINCE_EVALUATOR: view("places", "hamlet", "commune", "communegroup"),
    Role.PROVINCE_ADMIN: crud("places", "communegroup")
    | view("places", "hamlet")
    | crud("places", "commune", actions=("view", "change")),
}
