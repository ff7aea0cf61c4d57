"""The public status lookup of a dossier: its address, and who may open it without typing.

A resident opens /tra-cuu/ and types the dossier code and the last four digits of the phone
given at the desk. The receipt's QR code and the messages carry a link with a short keyed
token instead, so whoever holds the receipt (or the phone that got the SMS) sees the status
without typing anything.

`public_status` is the one read behind both the page and the API: what of a dossier the
public may see, once the caller has shown one of those two proofs.
"""

import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from hashlib import sha256
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy

from thanthien.core import ratelimit
from thanthien.core.compiled import CompiledRead
from thanthien.onestop.dossier_selectors import EARLY, LATE, ON_TIME, timeliness
from thanthien.onestop.models import Dossier, DossierAction, DossierEvent, DossierSupplement

TOKEN_LENGTH = 10


def status_token(code: str) -> str:
    """A short token that proves the holder got the code from the commune (receipt or SMS)."""
    key = f"{settings.SECRET_KEY}:thanthien.onestop.lookup".encode()
    return hmac.new(key, code.encode(), sha256).hexdigest()[:TOKEN_LENGTH]


def token_matches(code: str, token: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, and `token` is typed.
    return bool(token) and hmac.compare_digest(status_token(code).encode(), token.encode())


def status_path(code: str, *, with_token: bool = True) -> str:
    """/tra-cuu/?ma=<code>&k=<token>: the page that shows the dossier's status."""
    query = {"ma": code}
    if with_token:
        query["k"] = status_token(code)
    return f"{reverse('portal:dossier_lookup')}?{urlencode(query)}"


def _absolute(path: str, request=None) -> str:
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path) if request is not None else path


def lookup_page_url(*, request=None) -> str:
    """The absolute address of the lookup form itself (/tra-cuu/), for printed slips."""
    return _absolute(reverse("portal:dossier_lookup"), request)


def status_url(code: str, *, request=None, with_token: bool = True) -> str:
    """The absolute address for a QR code or a message: on the public host when one is
    configured, otherwise on the host of the current request (or a relative path)."""
    return _absolute(status_path(code, with_token=with_token), request)


# --- What the public may see of a dossier -------------------------------------------------
# Only what a resident needs to follow the dossier: never the applicant's full name, phone,
# address or ID number, never an official's name or phone. Offices are named (a resident may
# ask at that office).

PHONE_SUFFIX_LENGTH = 4
RATE_SCOPE = "dossier-lookup"

# Each step of the history, in the resident's words.
STEP_LABELS = {
    DossierAction.RECEIVE: gettext_lazy("Bộ phận một cửa nhận hồ sơ"),
    DossierAction.HANDOVER: gettext_lazy("Hồ sơ được chuyển đi giải quyết"),
    DossierAction.REQUEST_SUPPLEMENT: gettext_lazy("Cần bổ sung giấy tờ"),
    DossierAction.COMPLETE_SUPPLEMENT: gettext_lazy("Đã bổ sung đủ giấy tờ"),
    DossierAction.REFUSE: gettext_lazy("Hồ sơ không được tiếp nhận"),
    DossierAction.WITHDRAW: gettext_lazy("Hồ sơ đã được rút lại"),
    DossierAction.RESULT_READY: gettext_lazy("Đã có kết quả"),
    DossierAction.RETURN: gettext_lazy("Đã trả kết quả"),
    DossierAction.RESCHEDULE: gettext_lazy("Hẹn lại ngày trả kết quả (có thư xin lỗi)"),
}

# The state, said plainly: what it means for the resident now.
STATE_EXPLANATIONS = {
    Dossier.State.RECEIVED: gettext_lazy(
        "Bộ phận một cửa đã nhận hồ sơ và sẽ chuyển đến cán bộ giải quyết."
    ),
    Dossier.State.IN_PROGRESS: gettext_lazy("Hồ sơ đang được cán bộ giải quyết."),
    Dossier.State.SUPPLEMENT: gettext_lazy(
        "Hồ sơ còn thiếu giấy tờ. Mời ông/bà mang đến Bộ phận một cửa những giấy tờ dưới đây. "
        "Thời hạn giải quyết tính lại từ ngày bổ sung đủ."
    ),
    Dossier.State.RESULT_READY: gettext_lazy(
        "Đã có kết quả. Mời ông/bà mang giấy tiếp nhận đến Bộ phận một cửa để nhận."
    ),
    Dossier.State.RETURNED: gettext_lazy("Đã trả kết quả cho ông/bà. Hồ sơ đã xong."),
    Dossier.State.REFUSED: gettext_lazy(
        "Hồ sơ không được tiếp nhận giải quyết. Xin hỏi Bộ phận một cửa để biết lý do."
    ),
    Dossier.State.WITHDRAWN: gettext_lazy("Hồ sơ đã được rút lại theo đề nghị của người nộp."),
}
RESULT_BY_POST_EXPLANATION = gettext_lazy(
    "Đã có kết quả. Kết quả sẽ được gửi đến ông/bà qua bưu chính công ích."
)

# Early / on time / late, as a resident would say it.
TIMELINESS_PUBLIC_LABELS = {
    EARLY: gettext_lazy("Xong trước hẹn"),
    ON_TIME: gettext_lazy("Xong đúng hẹn"),
    LATE: gettext_lazy("Trễ hẹn"),
}


@dataclass(frozen=True)
class PublicStep:
    kind: str
    label: str
    at: datetime
    office: str  # the office the dossier was handed to, or ""


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    procedure_code: str
    commune: str
    commune_slug: str
    state: str
    state_label: str
    state_explanation: str
    received_at: datetime
    due_date: date
    original_due_date: date | None
    result_ready_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None  # refused or withdrawn
    timeliness: str | None
    timeliness_label: str
    timeliness_original: str | None
    timeliness_original_label: str
    return_method: str
    return_method_label: str
    missing_items: list[str]
    applicant_initials: str
    steps: list[PublicStep]

    @property
    def rescheduled(self) -> bool:
        return self.original_due_date is not None


def lookup_allowed(request) -> ratelimit.Verdict:
    """Count one attempt of this client at the public lookup; the page and the API share
    the count, so neither is a way around the other's limit."""
    return ratelimit.hit(request, scope=RATE_SCOPE, rate=settings.THANTHIEN_LOOKUP_RATE)


def initials(name: str) -> str:
    """ "Nguyễn Văn An" -> "N.V.A.": all a public page shows of a person's name."""
    letters = [word[0].upper() for word in name.split() if word[:1].isalpha()]
    return "".join(f"{letter}." for letter in letters)


def normalize_code(text: str) -> str:
    """What a resident typed or scanned, without spaces ("26734 - 250303 - 0001")."""
    return "".join((text or "").split())[:40]


def _phone_matches(phone: str, suffix: str) -> bool:
    return len(suffix) == PHONE_SUFFIX_LENGTH and hmac.compare_digest(
        phone[-PHONE_SUFFIX_LENGTH:].encode(), suffix.encode()
    )


class DossierRow(NamedTuple):
    """What the public status reads of a dossier, its procedure and its commune."""

    pk: int
    code: str
    applicant_name: str
    applicant_phone: str
    state: str
    received_at: datetime
    due_date: date
    original_due_date: date | None
    result_ready_at: datetime | None
    result_ready_day: date | None
    returned_at: datetime | None
    refused_at: datetime | None
    withdrawn_at: datetime | None
    return_method: str
    procedure_code: str
    procedure_name: str
    commune_name: str
    commune_slug: str
    missing_items: list | str | None  # the open supplement request's items


# DossierRow's fields in its order, as the ORM names them.
DOSSIER_COLUMNS = (
    "pk",
    "code",
    "applicant_name",
    "applicant_phone",
    "state",
    "received_at",
    "due_date",
    "original_due_date",
    "result_ready_at",
    "result_ready_day",
    "returned_at",
    "refused_at",
    "withdrawn_at",
    "return_method",
    "procedure__code",
    "procedure__name",
    "commune__name",
    "commune__slug",
    "missing_items",
)


def _dossier_query(code: str, upper: str):
    open_supplement = DossierSupplement.objects.filter(
        dossier=OuterRef("pk"), completed_at__isnull=True
    ).order_by("-requested_at", "-pk")
    return (
        Dossier.objects.filter(code__in=[code, upper])
        .annotate(missing_items=Subquery(open_supplement.values("items")[:1]))
        .order_by("-received_at", "-pk")
        .values_list(*DOSSIER_COLUMNS)[:1]
    )


def _history_query(dossier_id: int):
    """What happened, when, and the office it went to (or the office of the official)."""
    return (
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .order_by("at", "pk")
        .values_list("kind", "at", "to_office__name", "to_official__office__name")
    )


# The public lookup answers many requests a second: its two reads are compiled to SQL once.
DOSSIER_READ = CompiledRead(Dossier, _dossier_query, "<code>", "<CODE>")
HISTORY_READ = CompiledRead(DossierEvent, _history_query, -1)


def public_status(
    code: str, phone_last4: str | None = None, token: str | None = None
) -> PublicStatus | None:
    """The dossier's public status when the caller proves they may see it (the last four
    digits of the applicant's phone, or the receipt's token); None otherwise.

    An unknown code and a wrong proof take the same path: the same two queries, the same
    comparisons, the same None — nothing tells a caller whether the code exists.
    """
    code = normalize_code(code)
    found = DOSSIER_READ.rows(code, code.upper())
    dossier = DossierRow._make(found[0]) if found else None
    # Compare against a stand-in when the code is unknown, so both paths do the same work.
    phone = dossier.applicant_phone if dossier is not None else "0000000000"
    real_code = dossier.code if dossier is not None else code
    by_phone = _phone_matches(phone, phone_last4 or "")
    by_token = token_matches(real_code, token or "")
    allowed = dossier is not None and (by_phone or by_token)
    events = HISTORY_READ.rows(dossier.pk if allowed else 0)
    if not allowed:
        return None
    return _public(dossier, events)


KIND_LABELS = dict(DossierAction.choices)


def _step(kind: str, at: datetime, to_office: str | None, official_office: str | None):
    """One history row: handed to an office, or to an official (then their office)."""
    office = to_office if to_office is not None else official_office
    return PublicStep(
        kind=kind,
        label=str(STEP_LABELS.get(kind) or KIND_LABELS.get(kind, kind)),
        at=at,
        office=(office or "") if kind == DossierAction.HANDOVER else "",
    )


def _public(dossier: DossierRow, events: list) -> PublicStatus:
    current = timeliness(dossier, against="current")
    original = timeliness(dossier, against="original")
    explanation = STATE_EXPLANATIONS[dossier.state]
    if (
        dossier.state == Dossier.State.RESULT_READY
        and dossier.return_method == Dossier.ReturnMethod.POST
    ):
        explanation = RESULT_BY_POST_EXPLANATION
    missing = dossier.missing_items if dossier.state == Dossier.State.SUPPLEMENT else None
    if isinstance(missing, str):  # a JSON subquery may come back undecoded on some backends
        missing = json.loads(missing)
    return PublicStatus(
        code=dossier.code,
        procedure=dossier.procedure_name,
        procedure_code=dossier.procedure_code,
        commune=dossier.commune_name,
        commune_slug=dossier.commune_slug,
        state=dossier.state,
        state_label=str(Dossier.State(dossier.state).label),
        state_explanation=str(explanation),
        received_at=dossier.received_at,
        due_date=dossier.due_date,
        original_due_date=dossier.original_due_date,
        result_ready_at=dossier.result_ready_at,
        returned_at=dossier.returned_at,
        closed_at=dossier.refused_at or dossier.withdrawn_at,
        timeliness=current,
        timeliness_label=str(TIMELINESS_PUBLIC_LABELS[current]) if current else "",
        timeliness_original=original,
        timeliness_original_label=str(TIMELINESS_PUBLIC_LABELS[original]) if original else "",
        return_method=dossier.return_method,
        return_method_label=str(Dossier.ReturnMethod(dossier.return_method).label),
        missing_items=[str(item) for item in missing or []],
        applicant_initials=initials(dossier.applicant_name),
        steps=[_step(*event) for event in events],
    )
