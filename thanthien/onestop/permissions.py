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

# Apology slips (form 04): leaders issue or drop them; the desk and the province read them.
APOLOGY_ISSUING = crud("onestop", "apologyslip", actions=("view", "add", "change"))
for _role, _perms in {
    Role.COMMUNE_ADMIN: APOLOGY_ISSUING,
    Role.COMMUNE_LEADER: APOLOGY_ISSUING,
    Role.COMMUNE_OFFICIAL: view("onestop", "apologyslip"),
    Role.PROVINCE_EVALUATOR: view("onestop", "apologyslip"),
    Role.PROVINCE_ADMIN: view("onestop", "apologyslip"),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# Volunteers at the desk (S1): the commune administrator keeps the list, leaders and the
# administrator draw up the roster, everyone at the desk and the Front reads it.
VOLUNTEER_ROSTERING = crud("onestop", "volunteershift") | view("onestop", "volunteer")
for _role, _perms in {
    Role.COMMUNE_ADMIN: crud("onestop", "volunteer", "volunteershift"),
    Role.COMMUNE_LEADER: VOLUNTEER_ROSTERING,
    Role.COMMUNE_OFFICIAL: view("onestop", "volunteer", "volunteershift"),
    Role.FRONT_MEMBER: view("onestop", "volunteer", "volunteershift"),
    Role.PROVINCE_EVALUATOR: view("onestop", "volunteer", "volunteershift"),
    Role.PROVINCE_ADMIN: view("onestop", "volunteer", "volunteershift"),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS.get(_role, set()) | _perms
