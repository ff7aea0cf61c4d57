"""A letter as an ND 30/2020 document (thanthien/core/documents.py), and a batch of them.

One `OfficialDocument` per letter feeds both the print page and the DOCX, as the desk's slips
do. A batch DOCX holds each letter in its own section (a new page, its page numbers starting
again, the first page unnumbered as ND 30 asks), so an official prints a day's letters at once.
"""

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.documents import (
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    build_docx_batch,
    place_and_date,
)
from thanthien.letters.models import Letter
from thanthien.onestop.dossier_selectors import local_day

BLANK = "……"
SYMBOL = "TC-UBND"  # ND 30 appendix III: "thư công" is abbreviated TC


def agency_lines(commune) -> tuple[str, ...]:
    return (_("ỦY BAN NHÂN DÂN"), commune.name.upper())


def _paragraphs(text: str) -> list[Paragraph]:
    """Blank lines separate paragraphs; a line starting with "-" is a list line."""
    blocks = []
    for chunk in text.replace("\r\n", "\n").split("\n"):
        line = chunk.strip()
        if not line:
            continue
        if line.startswith("-"):
            blocks.append(Paragraph.of(line, tight=True))
        else:
            blocks.append(Paragraph.of(line))
    return blocks


def addressee(salutation: str, name: str, address: str) -> list[Paragraph]:
    """ "Kính gửi: <name>" centred, with the address on its own centred line when there is one."""
    blocks = [Paragraph.of(salutation, Run(name, bold=True), align="center", indent=False)]
    if address:
        blocks.append(
            Paragraph.of(
                _("Địa chỉ: %(address)s") % {"address": address}, align="center", indent=False
            )
        )
    return blocks


def letter_document(letter: Letter) -> OfficialDocument:
    """The letter as ND 30 lays it out: the chairman signs for the People's Committee."""
    commune = letter.commune
    draft = letter.state == Letter.State.DRAFT
    number = f"{letter.number}/{SYMBOL}" if letter.number else f"{BLANK}/{SYMBOL}"
    dated = letter.approved_at or timezone.now()
    blocks = addressee(f"{letter.salutation}: ", letter.recipient_name, letter.recipient_address)
    blocks.extend(_paragraphs(letter.body))
    if letter.annex.strip():
        blocks.append(Paragraph.of(Run(_("Kèm theo thư"), bold=True), indent=False))
        blocks.extend(_paragraphs(letter.annex))
    signer = letter.signer
    return OfficialDocument(
        title=letter.title,
        agency_lines=agency_lines(commune),
        number_line=_("Số: %(number)s") % {"number": number},
        place_date=place_and_date(commune.name, local_day(dated)),
        form_ref=_("Mẫu %(number)s") % {"number": letter.form_number},
        banner=_("Dự thảo") if draft else "",
        blocks=tuple(blocks),
        recipients=(_("- Như trên;"), _("- Lưu: VT.")),
        signatures=(
            Signature(
                title_lines=(_("TM. ỦY BAN NHÂN DÂN"), _("CHỦ TỊCH")),
                name=signer.full_name if signer else "",
            ),
        ),
        filename=f"thu-{letter.form_number}-{letter.number_text.replace('/', '-') or letter.pk}",
    )


def letters_docx(documents: Sequence[OfficialDocument]) -> bytes:
    """Several letters in one Word file, each starting a new section on a new page, its pages
    numbered from 1."""
    return build_docx_batch(documents)
