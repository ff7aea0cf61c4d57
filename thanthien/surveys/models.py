"""Satisfaction: a rating for every transaction (by the receipt's link or the counter kiosk).

A `Rating` is anonymous unless the resident agrees to be contacted. One rating per dossier
(a database constraint); kiosk ratings need not name a dossier. A `Counter` is a desk at the
one-stop office; a `KioskSession` is the tablet at that counter signed in by the official on
duty, proven afterwards by a random device token kept only as its SHA-256 hash.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel


class Score(models.IntegerChoices):
    VERY_SATISFIED = 4, _("Rất hài lòng")
    SATISFIED = 3, _("Hài lòng")
    NEUTRAL = 2, _("Bình thường")
    DISSATISFIED = 1, _("Không hài lòng")


# The keys the indices count by (thanthien.surveys.indices.satisfaction_index).
SCORE_KEYS = {
    Score.VERY_SATISFIED: "very_satisfied",
    Score.SATISFIED: "satisfied",
    Score.NEUTRAL: "neutral",
    Score.DISSATISFIED: "dissatisfied",
}
# At this score or below the resident is asked why.
LOW_SCORE = Score.NEUTRAL


class Counter(CommuneScopedModel):
    """A counter (quầy) of the one-stop office, where a kiosk tablet may stand."""

    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=150)
    office = models.ForeignKey(
        "people.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counters",
        verbose_name=_("cơ quan, bộ phận"),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["commune", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "number"], name="uniq_counter_number_per_commune"
            )
        ]
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class KioskSession(CommuneScopedModel):
    """A kiosk tablet signed in at a counter by the official on duty."""

    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("quầy")
    )
    official = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        related_name="kiosk_sessions",
        verbose_name=_("cán bộ trực quầy"),
    )
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người đăng nhập máy"),
    )
    signed_in_at = models.DateTimeField(_("đăng nhập lúc"))
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    token_hash = models.CharField(
        _("mã thiết bị (băm)"), max_length=64, unique=True, editable=False
    )

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        verbose_name = _("phiên máy đánh giá tại quầy")
        verbose_name_plural = _("phiên máy đánh giá tại quầy")

    def __str__(self) -> str:
        return f"{self.counter} — {self.signed_in_at:%d/%m/%Y %H:%M}"


def _rated(to, verbose_name) -> models.ForeignKey:
    """What a rating is about (dossier, procedure, official, counter, kiosk), when known."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=verbose_name,
    )


class Rating(CommuneScopedModel):
    """How satisfied a resident was with one transaction, and with the official who served."""

    class Channel(models.TextChoices):
        QR = "qr", _("Mã QR trên giấy tiếp nhận")
        LINK = "link", _("Đường dẫn trong tin nhắn")
        SMS = "sms", _("Tin nhắn SMS")
        KIOSK = "kiosk", _("Máy đánh giá tại quầy")

    dossier = _rated("onestop.Dossier", _("hồ sơ"))
    procedure = _rated("onestop.Procedure", _("thủ tục"))
    official = _rated("people.Official", _("cán bộ phục vụ"))
    counter = _rated(Counter, _("quầy"))
    kiosk_session = _rated(KioskSession, _("phiên máy đánh giá"))
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    service_score = models.PositiveSmallIntegerField(
        _("hài lòng với dịch vụ"), choices=Score.choices
    )
    official_score = models.PositiveSmallIntegerField(
        _("hài lòng với cán bộ"), choices=Score.choices, null=True, blank=True
    )
    reasons = models.JSONField(_("lý do chưa hài lòng"), default=list, blank=True)
    reason_other = models.CharField(_("lý do khác"), max_length=500, blank=True)
    # {"xin": "yes" | "no", "luon": …, "khong": …}: did the official keep "4 xin, 4 luôn,
    # 5 không" (C1), one answer per group; a group left unanswered is absent.
    conduct = models.JSONField(_("giữ quy tắc ứng xử"), default=dict, blank=True)
    comment = models.TextField(_("góp ý"), blank=True)
    idempotency_key = models.CharField(
        _("mã chống gửi trùng"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    submitted_at = models.DateTimeField(_("gửi lúc"))
    changed_at = models.DateTimeField(_("sửa lúc"), null=True, blank=True)
    contact_consent = models.BooleanField(_("đồng ý để xã liên hệ lại"), default=False)
    contact_phone = models.CharField(_("số điện thoại liên hệ"), max_length=20, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["dossier"], name="one_rating_per_dossier"),
            models.CheckConstraint(
                condition=Q(contact_phone="") | Q(contact_consent=True),
                name="rating_phone_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(service_score__gte=1, service_score__lte=4),
                name="rating_service_score_1_4",
            ),
        ]
        indexes = [models.Index(fields=["commune", "submitted_at"])]
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")

    def __str__(self) -> str:
        return f"{self.get_service_score_display()} — {self.submitted_at:%d/%m/%Y}"

    @property
    def is_low(self) -> bool:
        scores = [self.service_score, self.official_score]
        return any(score is not None and score <= LOW_SCORE for score in scores)


from thanthien.surveys.campaigns import *  # noqa: E402,F403
