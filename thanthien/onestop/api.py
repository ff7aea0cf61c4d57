"""The public status lookup as JSON: GET /api/v1/dossiers/{code}?phone_last4=NNNN.

Same rules as the /tra-cuu/ page (thanthien/onestop/lookup.py): initials only, no phone,
address or ID; an unknown code and a wrong phone suffix give the same 404 body; every
attempt counts against the client's rate limit, shared with the page.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from thanthien.onestop.dossier_selectors import LOCAL_TZ
from thanthien.onestop.lookup import PublicStatus, lookup_allowed, public_status

router = Router(tags=["dossiers"])

TimelinessValue = Literal["early", "on_time", "late"]


class StepOut(Schema):
    kind: str = Field(
        description="receive, handover, request_supplement, complete_supplement, "
        "refuse, withdraw, result_ready, return, reschedule"
    )
    label: str = Field(description="Bước, bằng lời thường / the step in plain words")
    at: datetime
    office: str = Field(description="Bộ phận nhận hồ sơ khi chuyển / office handed to, or ''")


class TimelinessOut(Schema):
    current: TimelinessValue | None = Field(
        description="So với ngày hẹn đang có hiệu lực / against the due date in force; "
        "null while it cannot be judged"
    )
    current_label: str
    original: TimelinessValue | None = Field(
        description="So với ngày hẹn ban đầu / against the original due date"
    )
    original_label: str


class DossierStatusOut(Schema):
    code: str
    procedure: str
    procedure_code: str
    commune: str
    state: Literal[
        "received", "in_progress", "supplement", "result_ready", "returned", "refused", "withdrawn"
    ]
    state_label: str
    state_explanation: str
    received_at: datetime
    due_date: date
    original_due_date: date | None = Field(description="Chỉ khi đã hẹn lại / only if rescheduled")
    result_ready_at: datetime | None
    returned_at: datetime | None
    timeliness: TimelinessOut
    return_method: Literal["desk", "post"]
    return_method_label: str
    missing_items: list[str] = Field(
        description="Giấy tờ cần bổ sung / papers to bring, while a supplement is requested"
    )
    applicant_initials: str = Field(description='Chỉ chữ cái đầu / initials only, e.g. "N.V.A."')
    steps: list[StepOut]


class ErrorOut(Schema):
    detail: str


def _local(moment: datetime | None) -> datetime | None:
    """Times in Vietnamese legal time (+07:00), as the desk and the receipt show them."""
    return timezone.localtime(moment, LOCAL_TZ) if moment is not None else None


def _out(status: PublicStatus) -> dict:
    return {
        "code": status.code,
        "procedure": status.procedure,
        "procedure_code": status.procedure_code,
        "commune": status.commune,
        "state": status.state,
        "state_label": status.state_label,
        "state_explanation": status.state_explanation,
        "received_at": _local(status.received_at),
        "due_date": status.due_date,
        "original_due_date": status.original_due_date,
        "result_ready_at": _local(status.result_ready_at),
        "returned_at": _local(status.returned_at),
        "timeliness": {
            "current": status.timeliness,
            "current_label": status.timeliness_label,
            "original": status.timeliness_original,
            "original_label": status.timeliness_original_label,
        },
        "return_method": status.return_method,
        "return_method_label": status.return_method_label,
        "missing_items": status.missing_items,
        "applicant_initials": status.applicant_initials,
        "steps": [
            {"kind": s.kind, "label": s.label, "at": _local(s.at), "office": s.office}
            for s in status.steps
        ],
    }


@router.get(
    "/{code}",
    response={200: DossierStatusOut, 404: ErrorOut, 429: ErrorOut},
    operation_id="dossier_status",
    summary="Tình trạng hồ sơ / Dossier status",
    description=(
        "Tra cứu tình trạng một hồ sơ bằng mã hồ sơ và 4 số cuối điện thoại người nộp. "
        "Mã sai và số sai trả lời giống hệt nhau (404). Giới hạn số lần tra cứu theo địa chỉ "
        "IP (429).\n\n"
        "Look up a dossier by its code and the last four digits of the applicant's phone. "
        "An unknown code and a wrong suffix give the same 404. Rate-limited per IP (429)."
    ),
)
def dossier_status(
    request,
    response: HttpResponse,
    code: str,
    phone_last4: str = Query(
        ...,
        pattern=r"^[0-9]{4}$",
        description="4 số cuối điện thoại người nộp / last four digits of the applicant's phone",
        example="5678",
    ),
):
    verdict = lookup_allowed(request)
    if not verdict.allowed:
        response["Retry-After"] = str(verdict.retry_after)
        detail = _("Tra cứu quá nhiều lần. Xin thử lại sau %(seconds)s giây.") % {
            "seconds": verdict.retry_after
        }
        return Status(429, {"detail": detail})
    status = public_status(code, phone_last4=phone_last4)
    if status is None:
        # The same body for an unknown code and a wrong suffix.
        return Status(
            404, {"detail": _("Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này.")}
        )
    return Status(200, _out(status))
