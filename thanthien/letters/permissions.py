"""What each role may do with letters (thư công).

The commune administrator edits the commune's templates; officials draft letters and record
their delivery; only a leader approves (numbers) or drops a draft — the services check the
role as well as these permissions. The province's evaluators see counts only, not names.
"""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

LETTER_WORK = crud("letters", "letter", actions=("view", "add", "change"))
COUNTS = {"letters.view_letter_counts"}

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: crud("letters", "lettertemplate") | LETTER_WORK | COUNTS,
    Role.COMMUNE_LEADER: view("letters", "lettertemplate") | LETTER_WORK | COUNTS,
    Role.COMMUNE_OFFICIAL: view("letters", "lettertemplate") | LETTER_WORK | COUNTS,
    Role.PROVINCE_EVALUATOR: COUNTS,
    Role.PROVINCE_ADMIN: COUNTS,
}

# Greetings (S7): officials and leaders edit drafts and the loudspeaker schedule (only a
# leader approves, checked by greeting_services); the administrator adds the commune's days.
GREETING_WORK = crud("letters", "greeting", "broadcastslot", actions=("view", "add", "change"))
GREETING_WORK |= {"letters.delete_broadcastslot", "letters.view_greetingoccasion"}
for _role, _extra in (
    (Role.COMMUNE_ADMIN, GREETING_WORK | crud("letters", "greetingoccasion")),
    (Role.COMMUNE_LEADER, GREETING_WORK),
    (Role.COMMUNE_OFFICIAL, GREETING_WORK),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS.get(_role, set()) | _extra

# Ceremonies, visits and contributors (S8): leaders and administrators plan ceremonies and keep
# the contributors' list; officials see them and record the visits they made (checked again by
# ceremony_services / contributor_services).
CLOSENESS_VIEW = view("letters", "ceremony", "ceremonyphoto", "contributor", "yearlymeeting")
CLOSENESS_MANAGE = (
    crud("letters", "ceremony", "contributor", "yearlymeeting", actions=("view", "add", "change"))
    | crud("letters", "contribution", actions=("view", "add"))
    | {"letters.view_ceremonyphoto", "letters.record_ceremony"}
)
for _role, _extra in (
    (Role.COMMUNE_ADMIN, CLOSENESS_MANAGE),
    (Role.COMMUNE_LEADER, CLOSENESS_MANAGE),
    (
        Role.COMMUNE_OFFICIAL,
        CLOSENESS_VIEW | {"letters.view_contribution", "letters.record_ceremony"},
    ),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS.get(_role, set()) | _extra
