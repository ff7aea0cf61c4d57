"""Open311 GeoReport v2 on top of the feedback inbox: what a request becomes, what a client sees.

A service is a feedback category; a service request is a feedback item (source "open311"
when it was posted through the API; every item of the commune is listed). What a client may
read is public by design: never the sender's name, phone, email or address; the matter in
words only once the commune has published its answer (the official's summary), otherwise
just the category.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback.categories import category_label
from thanthien.feedback.intake_services import Submitted, feedback_submit
from thanthien.feedback.items import (
    OPEN_STATES,
    Action,
    Attachment,
    FeedbackEvent,
    FeedbackItem,
    ReplyChannel,
    Source,
    Status,
)
from thanthien.feedback.selectors import public_answer_text

DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
# The commune answers by the end of the office day of the due date.
END_OF_OFFICE_DAY = time(17, 0)


def open311_status(item: FeedbackItem) -> str:
    """ "open" while the commune works on it; "closed" once answered, merged or redirected."""
    return "open" if item.status in OPEN_STATES else "closed"


def open311_request_submit(
    *,
    commune,
    service_code: str,
    description: str,
    latitude: float | None = None,
    longitude: float | None = None,
    address_string: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    media_url: str = "",
    idempotency_key: str = "",
    submitted_ip: str | None = None,
) -> Submitted:
    """Register a GeoReport service request as a feedback item (or return the earlier one
    with the same Idempotency-Key). The sender is answered by email if they gave one, else by
    SMS: giving a contact in a service request asks for its updates."""
    if latitude is None and longitude is None and not address_string.strip():
        raise ValidationError(
            {"lat": _("Cần vị trí: vĩ độ và kinh độ (lat, long) hoặc địa chỉ (address_string).")}
        )
    if (latitude is None) != (longitude is None):
        raise ValidationError({"long": _("Cần cả vĩ độ (lat) và kinh độ (long).")})
    if email:
        reply = ReplyChannel.EMAIL
    elif phone:
        reply = ReplyChannel.SMS
    else:
        reply = ReplyChannel.NONE
    with transaction.atomic():
        submitted = feedback_submit(
            commune=commune,
            content=description,
            source=Source.OPEN311,
            category=service_code,
            location_text=address_string,
            latitude=_coordinate(latitude),
            longitude=_coordinate(longitude),
            sender_name=" ".join(part for part in (first_name.strip(), last_name.strip()) if part),
            sender_phone=phone,
            sender_email=email,
            reply_channel=reply,
            consent_contact=reply != ReplyChannel.NONE,
            idempotency_key=idempotency_key,
            submitted_ip=submitted_ip,
        )
        if submitted.created and media_url:
            # Not fetched: a server following a client's URL could be pointed at our own
            # network. The official opens it from the item's history.
            FeedbackEvent.objects.create(
                commune=commune,
                item=submitted.item,
                action=Action.NOTE,
                from_status=submitted.item.status,
                to_status=submitted.item.status,
                at=timezone.now(),
                note=_("Ảnh người gửi cung cấp qua Open311: %(url)s") % {"url": media_url},
            )
    return submitted


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.6f}")


def open311_notice(item: FeedbackItem) -> str:
    return _("Mã theo dõi %(code)s; hạn trả lời %(due)s.") % {
        "code": item.code,
        "due": f"{item.due_date:%d/%m/%Y}" if item.due_date else "—",
    }


@dataclass(frozen=True)
class RequestFilter:
    codes: list[str]
    service_codes: list[str]
    statuses: list[str]
    start: datetime | None
    end: datetime | None


def aware_local(moment: datetime | None) -> datetime | None:
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=LOCAL_TZ)


def open311_requests(*, commune, wanted: RequestFilter) -> list[FeedbackItem]:
    """The commune's service requests a client asked for, newest first, at most 1000, in
    three queries whatever their number (items, public files)."""
    items = (
        FeedbackItem.objects.filter(commune=commune)
        .select_related("office", "hamlet", "commune")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(
                    role=Attachment.Role.ANSWER_EVIDENCE, is_public=True
                ).order_by("created_at", "pk"),
                to_attr="public_files",
            )
        )
        .order_by("-received_at", "-pk")
    )
    if wanted.codes:
        # The spec: with service_request_id the other filters are ignored.
        return list(items.filter(code__in=wanted.codes[:MAX_REQUESTS]))
    end = aware_local(wanted.end) or timezone.now()
    start = aware_local(wanted.start) or end - timedelta(days=DEFAULT_DAYS)
    items = items.filter(received_at__gte=start, received_at__lte=end)
    if wanted.service_codes:
        items = items.filter(category__in=wanted.service_codes)
    statuses = set(wanted.statuses)
    if statuses == {"open"}:
        items = items.filter(status__in=OPEN_STATES)
    elif statuses == {"closed"}:
        items = items.exclude(status__in=OPEN_STATES)
    return list(items[:MAX_REQUESTS])


def open311_request(*, commune, code: str) -> FeedbackItem | None:
    found = open311_requests(
        commune=commune,
        wanted=RequestFilter(codes=[code], service_codes=[], statuses=[], start=None, end=None),
    )
    return found[0] if found else None


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment, LOCAL_TZ) if moment is not None else None


def _shows_place(item: FeedbackItem) -> bool:
    """The place of the matter is public once the answer is, or when the sender posted it to
    Open311 themselves (a public system); otherwise only the hamlet."""
    return is_public(item) or item.source == Source.OPEN311


def is_public(item: FeedbackItem) -> bool:
    """Published on the portal, as the portal itself decides: the official published it and
    the sender consented (feedback.selectors.published_answers)."""
    return item.is_published and item.consent_publish


def _media_url(item: FeedbackItem, files, *, absolute) -> str | None:
    """The first file the official made public with a published answer, through the public
    file view that checks it is public (files are private: core.storage, no direct URL)."""
    if not (is_public(item) and files):
        return None
    kwargs = {"slug": item.commune.slug, "code": item.code, "pk": files[0].pk}
    return absolute(reverse("feedback:answer_file", kwargs=kwargs))


def open311_request_out(item: FeedbackItem, *, absolute) -> dict:
    """One service request as GeoReport v2 lists it; `absolute` makes a URL absolute."""
    published = is_public(item)
    service_name = category_label(item.category) if item.category else _("Chưa phân loại")
    if published:
        description = item.public_summary
        notes = public_answer_text(item)
    else:
        description = service_name
        notes = str(Status(item.status).label)
    if item.status == Status.MERGED:
        notes = _("Trùng với ý kiến khác; được trả lời cùng ý kiến đó.")
    elif item.status == Status.REDIRECTED:
        notes = _("Chuyển hướng xử lý theo thủ tục phù hợp.")
    shows_place = _shows_place(item)
    hamlet = item.hamlet.name if item.hamlet_id else ""
    files = getattr(item, "public_files", [])
    expected = None
    if item.due_date:
        expected = datetime.combine(item.due_date, END_OF_OFFICE_DAY, tzinfo=LOCAL_TZ)
    return {
        "service_request_id": item.code,
        "status": open311_status(item),
        "status_notes": notes,
        "service_name": str(service_name),
        "service_code": item.category or None,
        "description": description,
        "agency_responsible": item.office.name if item.office_id else item.commune.name,
        "service_notice": None,
        "requested_datetime": _local(item.received_at),
        "updated_datetime": _local(item.updated_at),
        "expected_datetime": expected,
        "address": (item.location_text if shows_place else "") or hamlet or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(item.latitude) if shows_place and item.latitude is not None else None,
        "long": float(item.longitude) if shows_place and item.longitude is not None else None,
        "media_url": _media_url(item, files, absolute=absolute),
    }
