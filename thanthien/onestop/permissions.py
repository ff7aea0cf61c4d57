"""What each role may do at the one-stop desk."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

DOSSIER_MODELS = ("dossier", "dossierevent", "dossiersupplement")
# Dossiers are never deleted (they are records); state moves go through the services.
DOSSIER_HANDLING = crud("onestop", *DOSSIER_MODELS, actions=("view", "add", "change"))
# Roles that receive and handle the dossiers of their own commune at the desk.
DESK_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: crud("onestop", "procedure", "requireddocument")
    | view("onestop", "procedurefield")
    | DOSSIER_HANDLING,
    Role.COMMUNE_LEADER: view("onestop", "procedure", "requireddocument", "procedurefield")
    | DOSSIER_HANDLING,
    Role.COMMUNE_OFFICIAL: view("onestop", "procedure", "requireddocument", "procedurefield")
    | DOSSIER_HANDLING,
    Role.FRONT_MEMBER: view("onestop", "procedure", "requireddocument"),
    Role.PROVINCE_EVALUATOR: view("onestop", "procedure", "requireddocument", "procedurefield")
    | view("onestop", *DOSSIER_MODELS),
    Role.PROVINCE_ADMIN: view("onestop", "procedure", "requireddocument", "procedurefield")
    | view("onestop", *DOSSIER_MODELS),
}
