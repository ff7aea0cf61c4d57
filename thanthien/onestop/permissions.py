"""What each role may do at the one-stop desk."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: crud("onestop", "procedure", "requireddocument")
    | view("onestop", "procedurefield"),
    Role.COMMUNE_LEADER: view("onestop", "procedure", "requireddocument", "procedurefield"),
    Role.COMMUNE_OFFICIAL: view("onestop", "procedure", "requireddocument", "procedurefield"),
    Role.FRONT_MEMBER: view("onestop", "procedure", "requireddocument"),
    Role.PROVINCE_EVALUATOR: view("onestop", "procedure", "requireddocument", "procedurefield"),
    Role.PROVINCE_ADMIN: view("onestop", "procedure", "requireddocument", "procedurefield"),
}
