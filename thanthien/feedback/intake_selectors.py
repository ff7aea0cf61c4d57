"""Reads behind the intake pages: what the desk QR names, and what the public may see of an
item on its status page (never the sender's name, full phone, email or address)."""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from thanthien.feedback.items import Action, FeedbackItem, ReplyChannel, Status
from thanthien.feedback.links import item_token_matches, rating_path
from thanthien.onestop.dossiers import mask_phone
from thanthien.onestop.models import Procedure
from thanthien.places.models import Hamlet
from thanthien.surveys.models import Counter

PHONE_SUFFIX_LENGTH = 4

# The state, said plainly: what it means for the resident now.
STATUS_EXPLANATIONS = {
    Status.NEW: gettext_lazy("Xã đã nhận ý kiến của ông/bà và đang xem xét, phân loại."),
    Status.CLASSIFIED: gettext_lazy("Xã đã phân loại ý kiến và sẽ giao cho bộ phận phụ trách."),
    Status.ASSIGNED: gettext_lazy("Ý kiến đã được giao cho bộ phận, cán bộ phụ trách xử lý."),
    Status.IN_PROGRESS: gettext_lazy("Bộ phận phụ trách đang xem xét, xử lý."),
    Status.ANSWERED: gettext_lazy("Xã đã trả lời. Nội dung trả lời ở bên dưới."),
    Status.CLOSED: gettext_lazy("Xã đã trả lời và kết thúc việc xử lý ý kiến này."),
    Status.MERGED: gettext_lazy(
        "Ý kiến này trùng với một phản ánh khác về cùng sự việc; xã xử lý chung và trả lời "
        "cho tất cả người gửi."
    ),
    Status.REDIRECTED: gettext_lazy(
        "Nội dung này cần giải quyết theo một thủ tục khác. Xin xem hướng dẫn bên dưới."
    ),
}


# The steps of the history a resident may see, in plain words. Notes and reminders stay
# inside the office (a note may name people); no step names the official who took it.
PUBLIC_STEPS = {
    Action.SUBMIT: gettext_lazy("Xã nhận ý kiến"),
    Action.ACKNOWLEDGE: gettext_lazy("Đã báo nhận cho người gửi"),
    Action.CLASSIFY: gettext_lazy("Đã phân loại"),
    Action.ASSIGN: gettext_lazy("Đã giao bộ phận xử lý"),
    Action.START: gettext_lazy("Bắt đầu xử lý"),
    Action.ANSWER: gettext_lazy("Xã đã trả lời"),
    Action.CLOSE: gettext_lazy("Kết thúc xử lý"),
    Action.REOPEN: gettext_lazy("Mở lại để xử lý tiếp"),
    Action.MERGE: gettext_lazy("Gộp với phản ánh cùng sự việc"),
    Action.REDIRECT: gettext_lazy("Chuyển hướng xử lý"),
}


@dataclass(frozen=True)
class PublicStep:
    label: str
    at: datetime


@dataclass(frozen=True)
class PublicItem:
    code: str
    kind_label: str
    category_label: str
    source_label: str
    status: str
    status_label: str
    status_explanation: str
    commune: str
    commune_slug: str
    received_at: datetime
    due_date: date | None
    acknowledged_at: datetime | None
    answered_at: datetime | None
    answer: str
    redirect_reason: str
    redirect_url: str
    merged_into: str
    phone_masked: str
    reply_channel_label: str
    is_anonymous: bool
    rating_path: str
    steps: tuple[PublicStep, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in (Status.NEW, Status.CLASSIFIED, Status.ASSIGNED, Status.IN_PROGRESS)


def normalize_code(text: str) -> str:
    """What a resident types or reads aloud: spaces dropped, letters in capitals."""
    return "".join((text or "").split()).upper()[:40]


def _rating_link(item: FeedbackItem) -> str:
    if item.status not in (Status.ANSWERED, Status.CLOSED) or item.rated_at is not None:
        return ""
    try:
        return rating_path(item.code)
    except NoReverseMatch:  # the rating page is another area's; absent, no link
        return ""


def public_item(item: FeedbackItem) -> PublicItem:
    answered = item.status in (Status.ANSWERED, Status.CLOSED)
    return PublicItem(
        code=item.code,
        kind_label=item.get_kind_display(),
        category_label=item.category_label,
        source_label=item.get_source_display(),
        status=item.status,
        status_label=item.get_status_display(),
        status_explanation=str(STATUS_EXPLANATIONS.get(item.status, "")),
        commune=item.commune.name,
        commune_slug=item.commune.slug,
        received_at=item.received_at,
        due_date=item.due_date,
        acknowledged_at=item.acknowledged_at,
        answered_at=item.answered_at if answered else None,
        answer=item.answer if answered else "",
        redirect_reason=item.redirect_reason if item.status == Status.REDIRECTED else "",
        redirect_url=item.redirect_url if item.status == Status.REDIRECTED else "",
        merged_into=item.duplicate_of.code if item.duplicate_of_id else "",
        phone_masked=mask_phone(item.sender_phone) if item.sender_phone else "",
        reply_channel_label=(
            item.get_reply_channel_display() if item.reply_channel != ReplyChannel.NONE else ""
        ),
        is_anonymous=item.is_anonymous,
        rating_path=_rating_link(item),
        steps=tuple(
            PublicStep(label=str(PUBLIC_STEPS[action]), at=at)
            for action, at in item.events.filter(action__in=list(PUBLIC_STEPS))
            .order_by("at", "pk")
            .values_list("action", "at")
        ),
    )


def _item(code: str) -> FeedbackItem | None:
    return (
        FeedbackItem.objects.select_related("commune", "duplicate_of")
        .filter(code=normalize_code(code))
        .first()
    )


def item_status(code: str, *, token: str = "", phone_last4: str = "") -> PublicItem | None:
    """The public view of an item, once the caller shows the link's token or the last four
    digits of the sender's phone; None for an unknown code and for a wrong proof alike."""
    item = _item(code)
    if item is None:
        return None
    if token:
        if not item_token_matches(item.code, token):
            return None
    elif not (
        len(phone_last4) == PHONE_SUFFIX_LENGTH
        and len(item.sender_phone) >= PHONE_SUFFIX_LENGTH
        and item.sender_phone.endswith(phone_last4)
    ):
        return None
    return public_item(item)


def counter_by_number(commune, number: str) -> Counter | None:
    """The commune's active counter with this number (from a desk QR), or None."""
    text = (number or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        return None
    return Counter.objects.filter(commune=commune, number=int(text), is_active=True).first()


def procedure_by_code(commune, code: str) -> Procedure | None:
    """The commune's procedure with this national code (from a desk QR), or None."""
    text = (code or "").strip()[:30]
    if not text:
        return None
    return Procedure.objects.filter(commune=commune, code=text).first()


def commune_hamlets(commune) -> list[Hamlet]:
    return list(Hamlet.objects.filter(commune=commune).order_by("name"))


def public_form_path(commune, *, counter=None, procedure=None) -> str:
    """/<slug>/gop-y/gui/ with the desk's counter and procedure, as a QR code opens it."""
    path = reverse("feedback:submit", kwargs={"slug": commune.slug})
    query = {}
    if counter is not None:
        query["quay"] = counter.number
    if procedure is not None:
        query["thu-tuc"] = procedure.code
    return f"{path}?{urlencode(query)}" if query else path


def public_form_url(commune, *, counter=None, procedure=None, request=None) -> str:
    path = public_form_path(commune, counter=counter, procedure=procedure)
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path) if request is not None else path


def poster_counters(commune) -> list[Counter]:
    return list(
        Counter.objects.filter(commune=commune, is_active=True)
        .select_related("office")
        .order_by("number")
    )


def poster_procedures(commune) -> list[Procedure]:
    return list(
        Procedure.objects.filter(commune=commune, is_active=True)
        .select_related("field")
        .order_by("field__name", "name")
    )
