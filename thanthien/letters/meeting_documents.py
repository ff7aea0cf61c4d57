"""The yearly meeting's invitations (giấy mời) as ND 30/2020 documents: one DOCX with a page
per invitee (thanthien/letters/documents.py joins them, each in its own section)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.documents import OfficialDocument, Paragraph, Run, Signature, place_and_date
from thanthien.letters.contributors import Contributor, YearlyMeeting
from thanthien.letters.documents import BLANK, addressee, agency_lines, letters_docx
from thanthien.onestop.dossier_selectors import local_day

SYMBOL = "GM-UBND"  # ND 30 appendix III: "giấy mời" is abbreviated GM


def _salutation(contributor: Contributor) -> str:
    if contributor.is_organisation:
        return _("Đại diện %(name)s") % {"name": contributor.name}
    return _("Ông/Bà %(name)s") % {"name": contributor.name}


def invitation_document(
    *, meeting: YearlyMeeting, contributor: Contributor, signer_name: str
) -> OfficialDocument:
    commune = meeting.commune
    held = timezone.localtime(meeting.held_at)
    blocks = addressee(_("Kính gửi: "), _salutation(contributor), contributor.address)
    blocks.extend(
        [
            Paragraph.of(
                _(
                    "Ủy ban nhân dân %(commune)s trân trọng kính mời %(guest)s tới dự Hội nghị "
                    "gặp mặt người có uy tín, các tổ chức và cá nhân có đóng góp cho quê hương "
                    "năm %(year)s."
                )
                % {"commune": commune.name, "guest": _salutation(contributor), "year": meeting.year}
            ),
            Paragraph.of(
                Run(_("Thời gian: "), bold=True),
                _("%(hour)s giờ %(minute)s, ngày %(day)s.")
                % {"hour": f"{held:%H}", "minute": f"{held:%M}", "day": f"{held:%d/%m/%Y}"},
            ),
            Paragraph.of(Run(_("Địa điểm: "), bold=True), meeting.place),
        ]
    )
    if meeting.agenda:
        blocks.append(Paragraph.of(Run(_("Nội dung: "), bold=True), meeting.agenda))
    blocks.append(
        Paragraph.of(_("Rất mong được đón tiếp %(guest)s.") % {"guest": _salutation(contributor)})
    )
    return OfficialDocument(
        title=_("GIẤY MỜI"),
        agency_lines=agency_lines(commune),
        number_line=_("Số: %(number)s") % {"number": f"{BLANK}/{SYMBOL}"},
        place_date=place_and_date(commune.name, local_day(timezone.now())),
        blocks=tuple(blocks),
        recipients=(_("- Như trên;"), _("- Lưu: VT.")),
        signatures=(
            Signature(
                title_lines=(_("TM. ỦY BAN NHÂN DÂN"), _("CHỦ TỊCH")),
                name=signer_name,
            ),
        ),
        filename=f"giay-moi-{meeting.year}",
    )


def invitations_docx(*, meeting: YearlyMeeting, contributors, signer_name: str) -> bytes:
    """Every invitation of the meeting in one Word file, a page (section) each."""
    return letters_docx(
        [
            invitation_document(meeting=meeting, contributor=c, signer_name=signer_name)
            for c in contributors
        ]
    )
