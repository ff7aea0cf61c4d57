"""Writes of ratings and kiosk sessions. Public callers go through `rating_allowed` first."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import ratelimit
from thanthien.core.staff import require_commune_role
from thanthien.onestop.models import Dossier
from thanthien.people.models import Official, vn_phone_validator
from thanthien.surveys.models import Counter, KioskSession, Rating, Score
from thanthien.surveys.reasons import CONDUCT_ANSWERS, CONDUCT_GROUPS, reason_codes

RATEABLE_STATES = frozenset({Dossier.State.RESULT_READY, Dossier.State.RETURNED})
RATING_SCOPE = "rating"
KIOSK_SCOPE = "kiosk-rating"
KIOSK_ROLES = frozenset({"commune_official", "commune_leader", "commune_admin"})


def rating_allowed(request, *, kiosk: bool = False) -> ratelimit.Verdict:
    """Count one attempt of this client at a public rating endpoint."""
    if kiosk:
        return ratelimit.hit(request, scope=KIOSK_SCOPE, rate=settings.THANTHIEN_KIOSK_RATE)
    return ratelimit.hit(request, scope=RATING_SCOPE, rate=settings.THANTHIEN_RATING_RATE)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Validation --------------------------------------------------------------------------


def _score(value, *, required: bool, field: str) -> int | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Xin chọn một mức hài lòng.")})
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in Score.values:
        raise ValidationError({field: _("Mức hài lòng không hợp lệ.")})
    return number


def _reasons(values: Iterable[str]) -> list[str]:
    known = reason_codes()
    chosen = []
    for value in values:
        if value not in known:
            raise ValidationError({"reasons": _("Lý do không hợp lệ: %(code)s.") % {"code": value}})
        if value not in chosen:
            chosen.append(value)
    return chosen


def _conduct(values: dict | None) -> dict[str, str]:
    conduct = {}
    for group, answer in (values or {}).items():
        if group not in CONDUCT_GROUPS or answer not in CONDUCT_ANSWERS:
            raise ValidationError({"conduct": _("Câu trả lời về quy tắc ứng xử không hợp lệ.")})
        conduct[group] = answer
    return conduct


def _contact(consent: bool, phone: str) -> str:
    phone = "".join((phone or "").split())
    if phone and not consent:
        raise ValidationError(
            {"contact_phone": _("Chỉ ghi số điện thoại khi ông/bà đồng ý để xã liên hệ lại.")}
        )
    if phone:
        vn_phone_validator(phone)
    return phone


def _changeable_until(rating: Rating) -> datetime:
    return rating.submitted_at + timedelta(hours=settings.THANTHIEN_RATING_CHANGE_HOURS)


def rating_can_change(rating: Rating, *, at: datetime | None = None) -> bool:
    return (at or timezone.now()) <= _changeable_until(rating)


# --- Ratings ------------------------------------------------------------------------------


def _served_by(dossier: Dossier) -> int | None:
    """The official who served: the one handling the dossier, else the one who received it."""
    if dossier.handling_official_id:
        return dossier.handling_official_id
    return getattr(dossier.created_by, "official_id", None)


def rating_submit(
    *,
    channel: str,
    service_score,
    official_score=None,
    dossier: Dossier | None = None,
    kiosk_session: KioskSession | None = None,
    reasons: Iterable[str] = (),
    reason_other: str = "",
    conduct: dict | None = None,
    comment: str = "",
    contact_consent: bool = False,
    contact_phone: str = "",
    idempotency_key: str | None = None,
    at: datetime | None = None,
    attribute_official: bool = True,
) -> Rating:
    """Record a rating of a dossier (by its link) or at a kiosk. The same idempotency key
    returns the rating already recorded under it; a dossier is rated once (then changed).

    A kiosk rating is attributed to the official on duty of `kiosk_session`, unless
    `attribute_official` is False (tapped while no official was signed in)."""
    key = (idempotency_key or "").strip()[:64] or None
    if key is not None:
        existing = Rating.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
    if channel not in Rating.Channel.values:
        raise ValidationError({"channel": _("Kênh đánh giá không hợp lệ.")})
    if dossier is None and kiosk_session is None:
        raise ValidationError(_("Đánh giá phải gắn với một hồ sơ hoặc một máy tại quầy."))
    values = {
        "service_score": _score(service_score, required=True, field="service_score"),
        "official_score": _score(official_score, required=False, field="official_score"),
        "reasons": _reasons(reasons),
        "reason_other": (reason_other or "").strip()[:500],
        "conduct": _conduct(conduct),
        "comment": (comment or "").strip()[:2000],
        "contact_consent": bool(contact_consent),
        "contact_phone": _contact(bool(contact_consent), contact_phone),
    }
    if dossier is not None:
        if dossier.state not in RATEABLE_STATES:
            raise ValidationError(_("Hồ sơ chưa có kết quả nên chưa thể đánh giá."))
        if Rating.objects.filter(dossier=dossier).exists():
            raise ValidationError(_("Hồ sơ này đã được đánh giá."), code="already_rated")
        values.update(
            commune_id=dossier.commune_id,
            dossier=dossier,
            procedure_id=dossier.procedure_id,
            official_id=_served_by(dossier),
        )
    if kiosk_session is not None:
        values.update(
            commune_id=kiosk_session.commune_id,
            kiosk_session=kiosk_session,
            counter_id=kiosk_session.counter_id,
            official_id=values.get("official_id")
            or (kiosk_session.official_id if attribute_official else None),
        )
    try:
        with transaction.atomic():
            return Rating.objects.create(
                channel=channel,
                idempotency_key=key,
                submitted_at=at or timezone.now(),
                **values,
            )
    except IntegrityError:
        # Two sends of the same key (or two taps on one dossier) raced: keep the first.
        if key is not None:
            existing = Rating.objects.filter(idempotency_key=key).first()
            if existing is not None:
                return existing
        raise ValidationError(_("Hồ sơ này đã được đánh giá."), code="already_rated") from None


UNSET = object()


@transaction.atomic
def rating_change(
    *,
    rating: Rating,
    service_score=UNSET,
    official_score=UNSET,
    reasons=UNSET,
    reason_other=UNSET,
    conduct=UNSET,
    comment=UNSET,
    at: datetime | None = None,
) -> Rating:
    """Change a rating within THANTHIEN_RATING_CHANGE_HOURS of its first sending."""
    at = at or timezone.now()
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if not rating_can_change(rating, at=at):
        raise ValidationError(
            _(
                "Đánh giá chỉ sửa được trong %(hours)s giờ sau khi gửi. "
                "Đánh giá của ông/bà đã được ghi nhận, cảm ơn ông/bà."
            )
            % {"hours": settings.THANTHIEN_RATING_CHANGE_HOURS},
            code="change_window_closed",
        )
    if service_score is not UNSET:
        rating.service_score = _score(service_score, required=True, field="service_score")
    if official_score is not UNSET:
        rating.official_score = _score(official_score, required=False, field="official_score")
    if reasons is not UNSET:
        rating.reasons = _reasons(reasons)
    if reason_other is not UNSET:
        rating.reason_other = (reason_other or "").strip()[:500]
    if conduct is not UNSET:
        rating.conduct = _conduct(conduct)
    if comment is not UNSET:
        rating.comment = (comment or "").strip()[:2000]
    rating.changed_at = at
    rating.save()
    return rating


# --- Kiosk sessions -----------------------------------------------------------------------


@transaction.atomic
def kiosk_sign_in(
    *, actor, counter: Counter, official: Official, at: datetime | None = None
) -> tuple[KioskSession, str]:
    """Sign the counter's kiosk in for the official on duty. Returns the session and the raw
    device token (set as the kiosk's cookie; only its hash is stored). Any earlier session
    of the counter ends."""
    require_commune_role(
        actor,
        counter.commune_id,
        roles=KIOSK_ROLES,
        perm="surveys.add_kiosksession",
        message=_("Ông/bà không được đăng nhập máy đánh giá của quầy này."),
    )
    if official.commune_id != counter.commune_id:
        raise ValidationError({"official": _("Cán bộ không thuộc xã của quầy này.")})
    if not counter.is_active:
        raise ValidationError({"counter": _("Quầy này đã ngừng sử dụng.")})
    at = at or timezone.now()
    for session in KioskSession.objects.filter(counter=counter, ended_at__isnull=True):
        session.ended_at = at
        session.save(update_fields=["ended_at", "updated_at"])
    token = secrets.token_urlsafe(32)
    session = KioskSession.objects.create(
        commune_id=counter.commune_id,
        counter=counter,
        official=official,
        signed_in_by=actor,
        signed_in_at=at,
        token_hash=hash_token(token),
    )
    return session, token


def kiosk_session_for(*, counter_id: int, token: str) -> KioskSession | None:
    """The open session of this counter that the device token proves, or None."""
    if not token:
        return None
    return (
        KioskSession.objects.select_related("counter", "official")
        .filter(
            counter_id=counter_id,
            token_hash=hash_token(token),
            ended_at__isnull=True,
            counter__is_active=True,
        )
        .first()
    )


def kiosk_session_by_token(*, counter_id: int, token: str) -> KioskSession | None:
    """The session of this counter that the device token proves, open or ended."""
    if not token:
        return None
    return (
        KioskSession.objects.select_related("counter", "official")
        .filter(counter_id=counter_id, token_hash=hash_token(token), counter__is_active=True)
        .first()
    )


def kiosk_attribution(
    *, session: KioskSession, at: datetime | None
) -> tuple[KioskSession | None, bool]:
    """Which session a queued kiosk rating belongs to, and whether to name its official.

    The kiosk queues ratings while offline and sends them later with the time they were
    tapped (`at`), so the session that delivers one is not always the one it was given in:
    - delivered by an ended session (the device signed out): accepted only if tapped before
      the end, else (None, False) and the kiosk is told it is signed out;
    - tapped before the delivering session began: the counter's session open at that time,
      or, when no official was signed in then, the delivering session WITHOUT its official —
      ending a session stops ratings from being attributed to that official.
    """
    if session.ended_at is not None:
        if at is None or not session.signed_in_at <= at <= session.ended_at:
            return None, False
        return session, True
    if at is None or at >= session.signed_in_at:
        return session, True
    covering = (
        KioskSession.objects.filter(counter_id=session.counter_id, signed_in_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at))
        .order_by("-signed_in_at")
        .first()
    )
    if covering is not None:
        return covering, True
    return session, False


def kiosk_can_sign_out(user, session: KioskSession) -> bool:
    """The commune's leader and admin end any of its kiosk sessions; an official ends the
    sessions where they are on duty or that they signed in."""
    from thanthien.core.staff import can_act_in_commune

    if not can_act_in_commune(
        user, session.commune_id, roles=KIOSK_ROLES, perm="surveys.change_kiosksession"
    ):
        return False
    if user.is_superuser or user.role != "commune_official":
        return True
    return session.signed_in_by_id == user.pk or (
        user.official_id is not None and session.official_id == user.official_id
    )


@transaction.atomic
def kiosk_sign_out(*, actor, session: KioskSession, at: datetime | None = None) -> KioskSession:
    """End a kiosk session: the kiosk stops taking ratings, and no rating tapped after this
    is attributed to its official."""
    if not kiosk_can_sign_out(actor, session):
        raise PermissionDenied(_("Ông/bà không được kết thúc phiên máy đánh giá này."))
    session = KioskSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise ValidationError(
            _("Phiên này đã kết thúc lúc %(time)s.")
            % {"time": f"{timezone.localtime(session.ended_at):%H:%M %d/%m/%Y}"},
            code="already_ended",
        )
    session.ended_at = at or timezone.now()
    session.save(update_fields=["ended_at", "updated_at"])
    return session
