"""What each role may do with ratings, counters and kiosks (the survey engine adds its own)."""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

# "change" is signing a kiosk out (ending its session).
KIOSK_SIGN_IN = crud("surveys", "kiosksession", actions=("view", "add", "change"))
READ = view("surveys", "rating", "counter")

ROLE_PERMISSIONS = {
    Role.COMMUNE_ADMIN: READ | crud("surveys", "counter") | KIOSK_SIGN_IN,
    Role.COMMUNE_LEADER: READ | KIOSK_SIGN_IN,
    # An official reads only the ratings of their own service (rating_selectors).
    Role.COMMUNE_OFFICIAL: READ | KIOSK_SIGN_IN,
    Role.PROVINCE_EVALUATOR: READ,
    Role.PROVINCE_ADMIN: READ,
}

# Campaigns (campaign_views): the commune's admin and leader create, open and close them;
# officials see them and enter phone interviews; the province reads.
CAMPAIGN_READ = view("surveys", "campaign", "response")
CAMPAIGN_MANAGE = CAMPAIGN_READ | crud("surveys", "campaign", actions=("add", "change"))
RESPONSE_ENTRY = crud("surveys", "response", actions=("add",))

for _role, _perms in (
    (Role.COMMUNE_ADMIN, CAMPAIGN_MANAGE | RESPONSE_ENTRY),
    (Role.COMMUNE_LEADER, CAMPAIGN_MANAGE | RESPONSE_ENTRY),
    (Role.COMMUNE_OFFICIAL, CAMPAIGN_READ | RESPONSE_ENTRY),
    (Role.PROVINCE_EVALUATOR, CAMPAIGN_READ),
    (Role.PROVINCE_ADMIN, CAMPAIGN_READ),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# Paper forms (paper_views): commune officials, leaders and admins print and type them in.
PAPER = crud("surveys", "paperform", actions=("view", "add"))
for _role in (Role.COMMUNE_ADMIN, Role.COMMUNE_LEADER, Role.COMMUNE_OFFICIAL):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | PAPER

# Province campaigns (province_campaign_views): the province admin creates, opens and closes
# them; province evaluators read their results. Commune users work on their own campaign.
PROVINCE_CAMPAIGN_READ = view("surveys", "provincecampaign")
ROLE_PERMISSIONS[Role.PROVINCE_EVALUATOR] = (
    ROLE_PERMISSIONS[Role.PROVINCE_EVALUATOR] | PROVINCE_CAMPAIGN_READ
)
ROLE_PERMISSIONS[Role.PROVINCE_ADMIN] = (
    ROLE_PERMISSIONS[Role.PROVINCE_ADMIN]
    | PROVINCE_CAMPAIGN_READ
    | crud("surveys", "provincecampaign", actions=("add", "change"))
)
