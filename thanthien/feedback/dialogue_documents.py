"""A dialogue conference's papers as ND 30/2020 documents (thanthien/core/documents.py): the
minutes ("Biên bản hội nghị đối thoại") and the paper slip residents write a question on
("Phiếu gửi câu hỏi đối thoại"). The print page and the DOCX render the same object.

Builders do not query: the caller loads the conference with
dialogue_selectors.dialogue_detail (questions, commitments, hamlets prefetched).
"""

from django.utils.translation import gettext as _

from thanthien.core.documents import (
    Items,
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    place_and_date,
)
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.letters.documents import agency_lines

BLANK = "…………"
WRITING_LINE = "." * 120
QUESTION_LINES = 12


def _sign_hint() -> str:
    return _("(Ký, ghi rõ họ tên)")


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _when(dialogue: Dialogue, day) -> str:
    if dialogue.start_time:
        return _("%(hour)s giờ %(minute)s, ngày %(day)s") % {
            "hour": f"{dialogue.start_time:%H}",
            "minute": f"{dialogue.start_time:%M}",
            "day": _day(day),
        }
    return _("Ngày %(day)s") % {"day": _day(day)}


def asker_label(question: DialogueQuestion, *, public: bool) -> str:
    """Who asked: the name only with consent on public pages; the hamlet always."""
    name = question.asker_name if (question.show_name or not public) else ""
    hamlet = question.hamlet.name if question.hamlet_id else ""
    if name and hamlet:
        return _("%(name)s, %(hamlet)s") % {"name": name, "hamlet": hamlet}
    return name or hamlet or _("Người dân (không nêu tên)")


def commitment_line(commitment: DialogueCommitment) -> str:
    text = _("%(text)s — người chịu trách nhiệm: %(owner)s; hạn: %(deadline)s") % {
        "text": commitment.text,
        "owner": commitment.owner.full_name,
        "deadline": _day(commitment.deadline),
    }
    if commitment.status != DialogueCommitment.Status.OPEN:
        text += " (" + commitment.get_status_display().lower() + ")"
    return text


def _question_blocks(question: DialogueQuestion) -> list:
    blocks = [
        Paragraph.of(
            Run(_("Câu hỏi %(number)s") % {"number": question.number}, bold=True),
            " ("
            + question.get_source_display().lower()
            + "; "
            + asker_label(question, public=False)
            + "): ",
            question.question,
        ),
    ]
    if question.answer:
        answered_by = question.answered_by.full_name if question.answered_by_id else ""
        label = _("Trả lời (%(name)s): ") % {"name": answered_by} if answered_by else _("Trả lời: ")
        blocks.append(Paragraph.of(Run(label, bold=True, italic=True), question.answer))
    else:
        blocks.append(Paragraph.of(Run(_("Trả lời: "), bold=True, italic=True), BLANK))
    commitments = list(question.commitments.all())
    if commitments:
        blocks.append(Paragraph.of(Run(_("Cam kết:"), bold=True), tight=True))
        blocks.append(Items(items=tuple(commitment_line(c) for c in commitments), numbered=False))
    return blocks


def minutes_document(dialogue: Dialogue) -> OfficialDocument:
    """The minutes: when, where, who chaired, the Front, attendance, each question with its
    answer and commitments, the conclusion; signed by the secretary, the Front's
    representative and the chair."""
    commune = dialogue.commune
    held = dialogue.held_on or dialogue.date
    questions = list(dialogue.questions.all())
    chair = dialogue.chaired_by
    chair_line = chair.full_name
    if chair.position_id:
        chair_line = _("%(name)s, %(position)s") % {
            "name": chair.full_name,
            "position": chair.position.name,
        }
    blocks: list = [
        Paragraph.of(
            Run(_("Thời gian: "), bold=True),
            _when(dialogue, held),
            ".",
        ),
        Paragraph.of(Run(_("Địa điểm: "), bold=True), dialogue.place, "."),
        Paragraph.of(Run(_("Chủ trì: "), bold=True), chair_line, "."),
        Paragraph.of(
            Run(_("Phối hợp: "), bold=True),
            _("Ủy ban Mặt trận Tổ quốc Việt Nam %(commune)s, đại diện: %(name)s.")
            % {"commune": commune.name, "name": dialogue.front_representative},
        ),
        Paragraph.of(
            Run(_("Thư ký: "), bold=True),
            (dialogue.secretary_name or BLANK) + ".",
        ),
        Paragraph.of(
            Run(_("Số người dự: "), bold=True),
            str(dialogue.attendance) if dialogue.attendance else BLANK,
            ".",
        ),
    ]
    hamlets = [hamlet.name for hamlet in dialogue.hamlets.all()]
    if hamlets:
        blocks.append(
            Paragraph.of(Run(_("Thôn, tổ dân phố được mời: "), bold=True), ", ".join(hamlets), ".")
        )
    blocks.append(Paragraph.of(Run(_("I. NỘI DUNG ĐỐI THOẠI"), bold=True), indent=False))
    blocks.append(Items(items=tuple(dialogue.topic_lines())))
    blocks.append(Paragraph.of(Run(_("II. CÂU HỎI, Ý KIẾN VÀ TRẢ LỜI"), bold=True), indent=False))
    if questions:
        for question in questions:
            blocks.extend(_question_blocks(question))
    else:
        blocks.append(Paragraph.of(_("Không có câu hỏi, ý kiến.")))
    blocks.append(Paragraph.of(Run(_("III. KẾT LUẬN CỦA HỘI NGHỊ"), bold=True), indent=False))
    for line in (dialogue.minutes_summary or BLANK).splitlines():
        if line.strip():
            blocks.append(Paragraph.of(line.strip()))
    blocks.append(
        Paragraph.of(
            _(
                "Biên bản được lập xong và thông qua tại hội nghị; gồm %(questions)s câu hỏi, "
                "ý kiến."
            )
            % {"questions": len(questions)}
        )
    )
    return OfficialDocument(
        title=_("BIÊN BẢN"),
        title_lines=(
            _("Hội nghị đối thoại giữa người đứng đầu Ủy ban nhân dân với Nhân dân"),
            dialogue.title,
        ),
        agency_lines=agency_lines(commune),
        number_line=_("Số: %(number)s") % {"number": f"{BLANK}/BB-UBND"},
        place_date=place_and_date(commune.name, held),
        banner="" if dialogue.status == Dialogue.Status.HELD else _("Dự thảo"),
        blocks=tuple(blocks),
        signatures=(
            Signature(
                title_lines=(_("Thư ký"),),
                hint=_sign_hint(),
                name=dialogue.secretary_name,
            ),
            Signature(
                title_lines=(_("Đại diện MTTQ"),),
                hint=_sign_hint(),
                name=dialogue.front_representative,
            ),
            Signature(
                title_lines=(_("Chủ trì hội nghị"),),
                hint=_sign_hint(),
                name=chair.full_name,
            ),
        ),
        filename=f"bien-ban-doi-thoai-{held:%Y%m%d}-{dialogue.pk}",
    )


def question_form_document(dialogue: Dialogue) -> OfficialDocument:
    """The A4 slip a resident fills in by hand: the conference, its topics, lines to write the
    question on, the asker's details and consent to publish the name."""
    commune = dialogue.commune
    deadline = dialogue.questions_open_until
    blocks: list = [
        Paragraph.of(
            _("Kính gửi: Chủ tịch Ủy ban nhân dân %(commune)s") % {"commune": commune.name},
            align="center",
            indent=False,
        ),
        Paragraph.of(
            Run(_("Hội nghị: "), bold=True),
            dialogue.title,
            " — ",
            _when(dialogue, dialogue.date),
            ", ",
            dialogue.place,
            ".",
        ),
        Paragraph.of(Run(_("Nội dung đối thoại:"), bold=True), tight=True),
        Items(items=tuple(dialogue.topic_lines())),
        Paragraph.of(Run(_("Họ và tên (không bắt buộc): "), bold=True), WRITING_LINE[:70]),
        Paragraph.of(Run(_("Thôn, tổ dân phố: "), bold=True), WRITING_LINE[:80]),
        Paragraph.of(Run(_("Số điện thoại (không bắt buộc): "), bold=True), WRITING_LINE[:60]),
        Paragraph.of(Run(_("Câu hỏi, ý kiến của ông/bà:"), bold=True), indent=False),
    ]
    blocks.extend(
        Paragraph.of(WRITING_LINE, indent=False, align="left") for _n in range(QUESTION_LINES)
    )
    blocks.append(
        Paragraph.of(
            "☐ ",
            _("Tôi đồng ý để xã công khai họ tên cùng câu hỏi trên trang thông tin của xã."),
            indent=False,
        )
    )
    if deadline:
        closing = _(
            "Xin gửi phiếu vào hòm thư góp ý tại trụ sở Ủy ban nhân dân, hoặc nhờ trưởng thôn, "
            "Ban công tác Mặt trận chuyển đến trước ngày %(day)s."
        ) % {"day": _day(deadline)}
    else:
        closing = _(
            "Xin gửi phiếu vào hòm thư góp ý tại trụ sở Ủy ban nhân dân, hoặc nhờ trưởng thôn, "
            "Ban công tác Mặt trận chuyển đến trước ngày hội nghị."
        )
    blocks.append(Paragraph.of(Run(closing, italic=True)))
    return OfficialDocument(
        title=_("PHIẾU GỬI CÂU HỎI ĐỐI THOẠI"),
        agency_lines=agency_lines(commune),
        place_date=_("………, ngày …… tháng …… năm %(year)s") % {"year": dialogue.date.year},
        blocks=tuple(blocks),
        signatures=(Signature(title_lines=(_("Người gửi"),), hint=_sign_hint()),),
        filename=f"phieu-cau-hoi-doi-thoai-{dialogue.pk}",
    )
