"""Survey campaigns: a questionnaire put to a commune's residents for a period.

Imported at the end of thanthien/surveys/models.py. A campaign keeps a snapshot of the
questionnaire definition it was launched with (definitions are versioned data files and may
change later). Each response records its channel and hamlet; every satisfaction answer is
also written as a `ResponseScore` row so the indices are counted in SQL.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.fields import hamlet_reference, user_reference
from thanthien.core.models import CommuneScopedModel, TimeStampedModel

__all__ = [
    "Campaign",
    "PaperForm",
    "ProvinceCampaign",
    "Response",
    "ResponseChannel",
    "ResponseScore",
]


class ResponseChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến (đường dẫn, mã QR)")
    PHONE = "phone", _("Phỏng vấn qua điện thoại")
    PAPER = "paper", _("Phiếu giấy")


class ProvinceCampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The province campaigns of the user's province (every one for a superuser).

        Commune users see none: they work on their own commune's linked `Campaign`."""
        from thanthien.people.roles import PROVINCE_ROLES

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.role in PROVINCE_ROLES and user.province_id:
            return self.filter(province_id=user.province_id)
        return self.none()


class ProvinceCampaign(TimeStampedModel):
    """A questionnaire the province puts to a chosen set of its communes for one period.

    It creates one ordinary commune `Campaign` per commune (`Campaign.province_campaign`), so
    tenancy, paper forms, responses and per-commune results work as for any campaign; each
    commune sets its own target sample per hamlet on its campaign.
    """

    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tỉnh, thành phố"),
    )
    title = models.CharField(_("tên đợt khảo sát"), max_length=255)
    questionnaire_id = models.CharField(_("mã bộ câu hỏi"), max_length=64)
    questionnaire_version = models.PositiveIntegerField(_("phiên bản bộ câu hỏi"))
    definition = models.JSONField(
        _("bộ câu hỏi"), help_text=_("Bản chụp bộ câu hỏi lúc tạo đợt khảo sát.")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    channels = models.JSONField(
        _("hình thức khảo sát"), default=list, help_text=_("Các giá trị của ResponseChannel.")
    )
    satisfaction_target = models.DecimalField(
        _("mục tiêu hài lòng"),
        max_digits=4,
        decimal_places=3,
        default=0.9,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    objects = ProvinceCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="province_campaign_period_order",
            ),
        ]
        verbose_name = _("đợt khảo sát của tỉnh")
        verbose_name_plural = _("đợt khảo sát của tỉnh")

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict:
        return {"province_id": self.province_id}


class Campaign(CommuneScopedModel):
    """A questionnaire put to a commune for a period, through the channels it chose."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        OPEN = "open", _("Đang khảo sát")
        CLOSED = "closed", _("Đã kết thúc")

    title = models.CharField(_("tên đợt khảo sát"), max_length=255)
    questionnaire_id = models.CharField(_("mã bộ câu hỏi"), max_length=64)
    questionnaire_version = models.PositiveIntegerField(_("phiên bản bộ câu hỏi"))
    definition = models.JSONField(
        _("bộ câu hỏi"), help_text=_("Bản chụp bộ câu hỏi lúc bắt đầu khảo sát.")
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    channels = models.JSONField(
        _("hình thức khảo sát"), default=list, help_text=_("Các giá trị của ResponseChannel.")
    )
    # {"<hamlet id>": n}: how many answers the commune aims for in each hamlet.
    target_per_hamlet = models.JSONField(_("số phiếu cần đạt theo thôn"), default=dict, blank=True)
    satisfaction_target = models.DecimalField(
        _("mục tiêu hài lòng"),
        max_digits=4,
        decimal_places=3,
        default=0.9,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Tỷ lệ hài lòng xã đặt ra, ví dụ 0,9 là 90%."),
    )
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    # The public link /khao-sat/<public_code>/ and its QR code.
    public_code = models.CharField(_("mã công khai"), max_length=32, unique=True)
    results_public = models.BooleanField(_("công khai kết quả"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    # Set when the province launched this campaign for several communes at once.
    province_campaign = models.ForeignKey(
        ProvinceCampaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("đợt khảo sát của tỉnh"),
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_period_order"
            ),
            models.UniqueConstraint(
                fields=["province_campaign", "commune"],
                condition=Q(province_campaign__isnull=False),
                name="one_campaign_per_commune_per_province_campaign",
            ),
        ]
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")

    def __str__(self) -> str:
        return self.title


class PaperForm(CommuneScopedModel):
    """One printed copy of a campaign's questionnaire, with its own number and QR code."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="paper_forms", verbose_name=_("đợt")
    )
    number = models.CharField(_("số phiếu"), max_length=32, unique=True)
    hamlet = hamlet_reference()
    printed_at = models.DateTimeField(_("in lúc"))

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("phiếu khảo sát giấy")
        verbose_name_plural = _("phiếu khảo sát giấy")

    def __str__(self) -> str:
        return self.number


class Response(CommuneScopedModel):
    """One respondent's answers, anonymous unless they agreed to be contacted."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="responses", verbose_name=_("đợt")
    )
    channel = models.CharField(_("hình thức"), max_length=10, choices=ResponseChannel.choices)
    hamlet = hamlet_reference()
    answers = models.JSONField(_("câu trả lời"), default=dict)
    submitted_at = models.DateTimeField(_("trả lời lúc"))
    # Phone interviews and paper forms are typed in by an official.
    entered_by = user_reference(_("người nhập"))
    # A paper form number can be entered once.
    paper_form = models.OneToOneField(
        PaperForm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("phiếu giấy"),
    )
    idempotency_key = models.CharField(
        _("mã chống gửi trùng"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    consent_contact = models.BooleanField(_("đồng ý để xã liên hệ lại"), default=False)
    contact_phone = models.CharField(_("số điện thoại liên hệ"), max_length=10, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_contact=True) | Q(contact_phone=""),
                name="response_phone_only_with_consent",
            ),
            models.CheckConstraint(
                condition=~Q(channel="paper") | Q(paper_form__isnull=False),
                name="response_paper_has_form",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "submitted_at"], name="response_campaign_idx"),
        ]
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"


class ResponseScore(models.Model):
    """One satisfaction answer of a response, as the index key it counts for.

    Written with the response by the service; the indices group these rows in SQL by factor,
    hamlet, channel and month, so a campaign with 100,000 responses is counted in one query.
    """

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="scores", verbose_name=_("phiếu")
    )
    # Copied from the response so the indices need no join.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("đợt")
    )
    hamlet = hamlet_reference()
    channel = models.CharField(_("hình thức"), max_length=10, choices=ResponseChannel.choices)
    submitted_at = models.DateTimeField(_("trả lời lúc"))
    question_id = models.CharField(_("câu hỏi"), max_length=64)
    factor = models.CharField(_("yếu tố"), max_length=32, blank=True)
    key = models.CharField(_("mức hài lòng"), max_length=20)

    class Meta:
        ordering = ["response", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id"], name="uniq_score_per_question"
            ),
            models.CheckConstraint(
                condition=Q(key__in=["very_satisfied", "satisfied", "neutral", "dissatisfied"]),
                name="response_score_known_key",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "factor", "key"], name="score_campaign_factor_idx"),
        ]
        verbose_name = _("điểm hài lòng")
        verbose_name_plural = _("điểm hài lòng")

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}={self.key}"

    def get_additional_data(self) -> dict:
        return {"commune_id": self.response.commune_id}
