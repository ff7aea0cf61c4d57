"""Dialogue conferences (hội nghị đối thoại) between the chairman and residents, with the
Fatherland Front: the plan, questions collected beforehand, the minutes and commitments.

At least one a year (Law on Grassroots Democracy art. 32). Every write goes through
thanthien/feedback/dialogue_services.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel


class Dialogue(CommuneScopedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        HELD = "held", _("Đã tổ chức")
        CANCELLED = "cancelled", _("Đã huỷ")

    title = models.CharField(_("tên hội nghị"), max_length=255)
    date = models.DateField(_("ngày tổ chức"), db_index=True)
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255)
    topics = models.TextField(_("nội dung đối thoại"), help_text=_("Mỗi dòng một chủ đề."))
    hamlets = models.ManyToManyField(
        "places.Hamlet", blank=True, related_name="+", verbose_name=_("thôn, tổ dân phố mời")
    )
    chaired_by = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người chủ trì"),
    )
    front_representative = models.CharField(
        _("đại diện Ủy ban MTTQ"), max_length=150, help_text=_("Phối hợp tổ chức.")
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    questions_open_until = models.DateField(_("nhận câu hỏi trước đến ngày"), null=True, blank=True)
    is_plan_published = models.BooleanField(_("công khai kế hoạch"), default=False)
    attendance = models.PositiveIntegerField(_("số người dự"), null=True, blank=True)
    minutes_summary = models.TextField(_("tóm tắt biên bản"), blank=True)
    held_on = models.DateField(_("ngày đã tổ chức"), null=True, blank=True)
    is_results_published = models.BooleanField(_("công khai kết quả"), default=False)
    secretary_name = models.CharField(_("thư ký hội nghị"), max_length=150, blank=True)
    cancel_reason = models.TextField(_("lý do huỷ"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("hội nghị đối thoại")
        verbose_name_plural = _("hội nghị đối thoại")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("staff:feedback:dialogue", kwargs={"pk": self.pk})

    def topic_lines(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class DialogueQuestion(CommuneScopedModel):
    """A resident's question: sent beforehand (online, paper) or raised at the conference."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Gửi trực tuyến")
        PAPER = "paper", _("Phiếu giấy")
        AT_MEETING = "meeting", _("Tại hội nghị")
        FEEDBACK = "feedback", _("Từ góp ý, phản ánh")

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="questions", verbose_name=_("hội nghị")
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    asker_name = models.CharField(_("người hỏi"), max_length=150, blank=True)
    asker_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    hamlet = models.ForeignKey(
        "places.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )
    show_name = models.BooleanField(_("đồng ý công khai tên"), default=False)
    question = models.TextField(_("câu hỏi"))
    answer = models.TextField(_("trả lời tại hội nghị"), blank=True)
    answered_by = models.ForeignKey(
        "people.Official",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời"),
    )
    feedback_item = models.ForeignKey(
        "feedback.FeedbackItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("góp ý liên quan"),
    )
    idempotency_key = models.CharField(_("khoá chống trùng"), max_length=100, blank=True)

    class Meta:
        ordering = ["dialogue", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "number"], name="uniq_dialogue_question_number"
            )
        ]
        verbose_name = _("câu hỏi đối thoại")
        verbose_name_plural = _("câu hỏi đối thoại")

    def __str__(self) -> str:
        return f"{self.number}. {self.question[:60]}"


class DialogueCommitment(CommuneScopedModel):
    """A commitment made in answer to a question, tracked until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")
        DROPPED = "dropped", _("Không thực hiện (có giải trình)")

    question = models.ForeignKey(
        DialogueQuestion,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("câu hỏi"),
    )
    text = models.TextField(_("nội dung cam kết"))
    owner = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người chịu trách nhiệm"),
    )
    deadline = models.DateField(_("hạn hoàn thành"), db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    result_note = models.TextField(_("kết quả, giải trình"), blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("cam kết sau đối thoại")
        verbose_name_plural = _("cam kết sau đối thoại")

    def __str__(self) -> str:
        return self.text[:80]
