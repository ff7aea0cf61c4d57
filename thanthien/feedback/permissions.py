"""What each role may do with feedback, complaints, reception and dialogues.

Commune officials receive and handle feedback, keep the reception register and record
questions; leaders also handle complaints and denunciations, plan dialogues and see
everything; the commune administrator configures categories' reply templates and channel
accounts; the Fatherland Front reads dialogues and the published side; the province reads.
A denouncer's identity is further limited to the assigned officials (complaint_selectors).
"""

from thanthien.core.permissions import crud, view
from thanthien.people.roles import Role

FEEDBACK = ("feedbackitem", "feedbackevent", "attachment")
COMPLAINTS = ("complaint", "complaintextension")
RECEPTION = ("receptionbooking", "receptionvisit")
DIALOGUES = ("dialogue", "dialoguequestion", "dialoguecommitment")
CONFIG = ("replytemplate", "channelaccount")
HANDLE = ("view", "add", "change")
EVERYTHING = FEEDBACK + COMPLAINTS + RECEPTION + DIALOGUES

ROLE_PERMISSIONS = {
    Role.COMMUNE_OFFICIAL: crud("feedback", *FEEDBACK, *RECEPTION, actions=HANDLE)
    | crud("feedback", "dialoguequestion", "dialoguecommitment", actions=HANDLE)
    | view("feedback", "dialogue", "replytemplate", *COMPLAINTS),
    Role.COMMUNE_LEADER: crud("feedback", *EVERYTHING, actions=HANDLE)
    | crud("feedback", "replytemplate")
    | view("feedback", "inboundlog"),
    Role.COMMUNE_ADMIN: crud("feedback", *EVERYTHING, actions=HANDLE)
    | crud("feedback", *CONFIG)
    | view("feedback", "inboundlog"),
    Role.FRONT_MEMBER: view("feedback", *DIALOGUES)
    | crud("feedback", "dialoguequestion", actions=HANDLE),
    Role.PROVINCE_EVALUATOR: view("feedback", *EVERYTHING),
    Role.PROVINCE_ADMIN: view("feedback", *EVERYTHING),
}
