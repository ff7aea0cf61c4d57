"""Contributors and respected residents (S8), their contributions and the yearly meeting.

The commune keeps a list of the people and organisations who contributed (money, land, labour,
goods) and of its respected residents (người có uy tín). A recorded contribution drafts the
chairman's thank-you letter (Mẫu 01). Once a year the commune invites them to a meeting:
the invitation list, one DOCX with an invitation per page, and who attended.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.fields import hamlet_reference, user_reference
from thanthien.core.models import CommuneScopedModel

__all__ = ["Contribution", "Contributor", "Invitation", "YearlyMeeting"]


class Contributor(CommuneScopedModel):
    """A person or an organisation who contributed, or a respected resident, or both."""

    class Kind(models.TextChoices):
        CONTRIBUTOR = "contributor", _("Người, tổ chức có đóng góp")
        RESPECTED = "respected", _("Người có uy tín")
        BOTH = "both", _("Có đóng góp và là người có uy tín")

    name = models.CharField(_("họ tên / tên tổ chức"), max_length=200)
    is_organisation = models.BooleanField(_("là tổ chức"), default=False)
    kind = models.CharField(
        _("loại"), max_length=12, choices=Kind.choices, default=Kind.CONTRIBUTOR
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    hamlet = hamlet_reference()
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["commune", "kind"], name="contributor_kind_idx")]
        verbose_name = _("người, tổ chức có đóng góp")
        verbose_name_plural = _("người, tổ chức có đóng góp")

    def __str__(self) -> str:
        return self.name


class Contribution(CommuneScopedModel):
    """What a contributor gave and when: money (in đồng) or in kind."""

    contributor = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("người, tổ chức đóng góp"),
    )
    description = models.CharField(_("nội dung đóng góp"), max_length=300)
    date = models.DateField(_("ngày đóng góp"))
    value_dong = models.PositiveBigIntegerField(_("giá trị (đồng)"), null=True, blank=True)
    in_kind = models.CharField(_("hiện vật, ngày công"), max_length=300, blank=True)
    letter = models.OneToOneField(
        "letters.Letter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contribution",
        verbose_name=_("thư cảm ơn"),
    )
    created_by = user_reference(_("người ghi"))

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_dong__gt=0) | ~Q(in_kind=""),
                name="contribution_has_value",
            )
        ]
        verbose_name = _("đóng góp")
        verbose_name_plural = _("đóng góp")

    def __str__(self) -> str:
        return f"{self.contributor} · {self.description}"


class YearlyMeeting(CommuneScopedModel):
    """The commune's yearly meeting with its contributors and respected residents."""

    year = models.PositiveSmallIntegerField(_("năm"))
    held_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=300)
    agenda = models.TextField(_("nội dung hội nghị"), blank=True)
    invitees = models.ManyToManyField(
        Contributor, through="Invitation", related_name="meetings", verbose_name=_("khách mời")
    )

    class Meta:
        ordering = ["-held_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="uniq_yearly_meeting")
        ]
        verbose_name = _("hội nghị gặp mặt hằng năm")
        verbose_name_plural = _("hội nghị gặp mặt hằng năm")

    def __str__(self) -> str:
        return f"{_('Hội nghị gặp mặt')} {self.year} · {self.place}"


class Invitation(models.Model):
    """One invitee of a meeting, and whether they came (unknown until recorded)."""

    meeting = models.ForeignKey(YearlyMeeting, on_delete=models.CASCADE, related_name="invitations")
    contributor = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(_("có mặt"), null=True, blank=True)

    class Meta:
        ordering = ["contributor__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contributor"], name="uniq_invitation_per_meeting"
            )
        ]
        verbose_name = _("giấy mời")
        verbose_name_plural = _("giấy mời")

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.contributor_id}"
