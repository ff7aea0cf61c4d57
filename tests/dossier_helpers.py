"""Helpers shared by the one-stop desk's tests: Vietnamese local times and a dossier received
through the service."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from thanthien.onestop import dossier_services as services
from thanthien.onestop.models import Dossier

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_MORNING = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)  # due Thu 06/03 for 3 working days
# The applicant: the public status page and API must show none of this.
NAME = "Nguyễn Văn An"
PHONE = "0912345678"
ADDRESS = "Thôn Đông Hoà, đội 7"
ID_NUMBER = "001203004567"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """That day at hour:minute, Vietnamese time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def receive_dossier(*, actor, procedure, **overrides):
    """A dossier received by `actor` through dossier_receive: NAME, PHONE, Monday 03/03/2025
    09:00, unless `overrides` say otherwise."""
    values = {
        "actor": actor,
        "procedure": procedure,
        "applicant_name": NAME,
        "applicant_phone": PHONE,
        "received_at": MONDAY_MORNING,
    }
    values.update(overrides)
    return services.dossier_receive(**values)


def receive_for_lookup(*, actor, procedure):
    """Received Monday 03/03/2025 09:05 with every personal detail filled in (the public pages
    must hide them) and no notification; birth registration is due Thursday 06/03/2025."""
    return receive_dossier(
        actor=actor,
        procedure=procedure,
        applicant_address=ADDRESS,
        applicant_id_number=ID_NUMBER,
        notify_channel=Dossier.NotifyChannel.NONE,
        received_at=at(date(2025, 3, 3), 9, 5),
    )
