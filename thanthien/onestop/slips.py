"""The content of the desk's printed forms, one builder per form.

Each builder turns a dossier (or its supplement request, apology slip, history) into a neutral
`OfficialDocument` (thanthien/core/documents.py). The print page and the DOCX render that same
object, so their text cannot drift. Titles, form numbers and paper come from the form set in
use (thanthien/onestop/form_sets.py); content follows DOMAIN.md "One-stop desk".

Builders do not query: callers load the rows with thanthien/onestop/slip_selectors.py (or
dossier_selectors.dossier_for_page, which prefetches the history and the supplements).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thanthien.core.documents import (
    FONT,
    Items,
    OfficialDocument,
    Paragraph,
    QrCode,
    Run,
    Signature,
    Table,
    place_and_date,
)
from thanthien.core.tabular import append_text_row, workbook_bytes
from thanthien.onestop.dossier_selectors import (
    LOCAL_TZ,
    TIMELINESS_LABELS,
    local_day,
    timeliness,
    today_local,
)
from thanthien.onestop.form_sets import DeskFormSet, current_set
from thanthien.onestop.models import (
    ApologySlip,
    Dossier,
    DossierAction,
    DossierEvent,
    DossierSupplement,
)

BLANK = "…………"


# --- small formatting helpers ------------------------------------------------------------


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _minute(moment: datetime | None) -> str:
    """ "09:05, 03/03/2025" in Vietnamese legal time."""
    if moment is None:
        return ""
    return f"{moment.astimezone(LOCAL_TZ):%H:%M, %d/%m/%Y}"


def _clock(moment: datetime) -> str:
    """ "09 giờ 05 phút, ngày 03/03/2025"."""
    local = moment.astimezone(LOCAL_TZ)
    return _("%(hour)s giờ %(minute)s phút, ngày %(day)s") % {
        "hour": f"{local:%H}",
        "minute": f"{local:%M}",
        "day": f"{local:%d/%m/%Y}",
    }


def _agency(commune) -> str:
    return _("UBND %(commune)s") % {"commune": commune.name.upper()}


def _agency_lines(commune, forms: DeskFormSet) -> tuple[str, ...]:
    return (_agency(commune), forms.desk_name)


def commune_agency_lines(commune) -> tuple[str, ...]:
    """The issuing body of a commune's desk form: "UBND XÃ AN" over the desk's name."""
    return _agency_lines(commune, current_set())


def province_agency_lines(province) -> tuple[str, ...]:
    """For a province's view over several communes: "UBND TỈNH P"."""
    return (_("UBND %(province)s") % {"province": province.name.upper()},)


def _desk(commune, forms: DeskFormSet) -> str:
    """ "Bộ phận tiếp nhận và trả kết quả Xã An"."""
    return _("%(desk)s %(commune)s") % {"desk": forms.desk_name, "commune": commune.name}


def _sign_hint() -> str:
    return _("(Ký và ghi rõ họ tên)")


def _field(label: str, value: str, *, bold: bool = False) -> Paragraph:
    """ "Label: value", one line of a group of facts."""
    return Paragraph.of(label, Run(value, bold=bold), tight=True)


def _processing_time(days: int) -> str:
    if days == 0:
        return _("Thời gian giải quyết hồ sơ theo quy định: trong ngày.")
    return ngettext(
        "Thời gian giải quyết hồ sơ theo quy định: %(n)s ngày làm việc.",
        "Thời gian giải quyết hồ sơ theo quy định: %(n)s ngày làm việc.",
        days,
    ) % {"n": days}


def _contact_lines(dossier: Dossier) -> list[Paragraph]:
    lines = []
    if dossier.applicant_address:
        lines.append(_field(_("Địa chỉ: "), dossier.applicant_address))
    contact = _("Số điện thoại: %(phone)s") % {"phone": dossier.applicant_phone}
    if dossier.email:
        contact += " · " + _("Thư điện tử: %(email)s") % {"email": dossier.email}
    lines.append(Paragraph.of(contact, tight=True))
    return lines


def _filename(form_number: str, code: str) -> str:
    return f"mau-{form_number}-{code}"


def _desk_signer(name: str) -> Signature:
    """The desk official who received the dossier signs the slip."""
    return Signature(title_lines=(_("Người tiếp nhận hồ sơ"),), hint=_sign_hint(), name=name)


def _dossier_form(
    forms: DeskFormSet,
    key: str,
    *,
    dossier: Dossier,
    dated: datetime,
    blocks: Sequence,
    number_line: str = "",
    signatures: Sequence[Signature] = (),
    suffix: object = "",
    commune=None,
    **extra,
) -> OfficialDocument:
    """One of a dossier's slips (`key` in the form set): the header of `commune` (the
    dossier's), dated the local day of `dated`, numbered by the dossier code unless
    `number_line` says otherwise; the file is named after the form and the code (and `suffix`,
    for a dossier's several slips)."""
    commune = commune or dossier.commune
    form = forms.form(key)
    filename = _filename(form.number, dossier.code)
    return OfficialDocument(
        title=form.title,
        agency_lines=_agency_lines(commune, forms),
        # The dossier code is the slip's number ("Mã hồ sơ" on every desk form).
        number_line=number_line or _("Mã hồ sơ: %(code)s") % {"code": dossier.code},
        place_date=place_and_date(commune.name, local_day(dated)),
        paper=form.paper,
        landscape=form.landscape,
        form_ref=forms.reference(key),
        blocks=tuple(blocks),
        signatures=tuple(signatures),
        filename=f"{filename}-{suffix}" if suffix else filename,
        **extra,
    )


# --- 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả ------------------------------------------


def receipt_slip(*, dossier: Dossier, status_url: str) -> OfficialDocument:
    """Form 01: what was received, from whom, and the day the result is promised; with a QR
    code to the public status page (`status_url`, from lookup.status_url)."""
    forms = current_set()
    commune = dossier.commune
    documents = tuple(dossier.documents_received) or (_("(không ghi)"),)
    blocks = [
        Paragraph.of(_("%(desk)s đã tiếp nhận hồ sơ của:") % {"desk": _desk(commune, forms)}),
        _field(_("Ông/Bà: "), dossier.applicant_name, bold=True),
        *_contact_lines(dossier),
        Paragraph.of(
            _("Nội dung yêu cầu giải quyết: %(procedure)s") % {"procedure": dossier.procedure.name},
            tight=True,
        ),
        Paragraph.of(_("Thành phần hồ sơ nộp gồm:"), tight=True),
        Items(items=documents),
        Paragraph.of(_("Số lượng hồ sơ: 01 bộ."), tight=True),
        Paragraph.of(_processing_time(dossier.processing_days), tight=True),
        Paragraph.of(
            _("Thời gian nhận hồ sơ: %(at)s.") % {"at": _clock(dossier.received_at)}, tight=True
        ),
        Paragraph.of(
            Run(
                _("Thời gian trả kết quả giải quyết hồ sơ: ngày %(day)s.")
                % {"day": _day(dossier.due_date)},
                bold=True,
            ),
            tight=True,
        ),
        Paragraph.of(
            _("Hình thức nhận kết quả: %(method)s.")
            % {"method": dossier.get_return_method_display()}
        ),
        QrCode(
            url=status_url,
            caption=" ".join(
                (
                    _(
                        "Quét mã QR này bằng điện thoại để theo dõi hồ sơ %(code)s, "
                        "không cần nhập mã hay số điện thoại."
                    )
                    % {"code": dossier.code},
                    # For whoever cannot scan: the lookup page itself, where the code and
                    # four digits do.
                    _("Hoặc vào trang %(url)s, gõ mã hồ sơ và 4 số cuối số điện thoại.")
                    % {"url": status_url.split("?", 1)[0]},
                )
            ),
        ),
    ]
    return _dossier_form(
        forms,
        "receipt",
        dossier=dossier,
        dated=dossier.received_at,
        blocks=blocks,
        signatures=(
            Signature(
                title_lines=(_("Người nộp hồ sơ"),),
                hint=_sign_hint(),
                name=dossier.applicant_name,
            ),
            _desk_signer(str(dossier.created_by)),
        ),
    )


# --- 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ -------------------------------------------


def supplement_slip(*, supplement: DossierSupplement) -> OfficialDocument:
    """Form 02: what the applicant must still bring (the request's items), and that the time
    limit starts again once the dossier is complete."""
    forms = current_set()
    dossier = supplement.dossier
    commune = dossier.commune
    blocks = [
        Paragraph.of(
            _(
                "%(desk)s đã tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính "
                "“%(procedure)s” (mã hồ sơ %(code)s, tiếp nhận ngày %(day)s) của:"
            )
            % {
                "desk": _desk(commune, forms),
                "procedure": dossier.procedure.name,
                "code": dossier.code,
                "day": _day(local_day(dossier.received_at)),
            }
        ),
        _field(_("Ông/Bà: "), dossier.applicant_name, bold=True),
        *_contact_lines(dossier),
        Paragraph.of(
            _(
                "Sau khi xem xét, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị Ông/Bà bổ sung, hoàn thiện "
                "hồ sơ gồm những nội dung sau:"
            )
        ),
        Items(items=tuple(supplement.items)),
    ]
    if supplement.note:
        blocks.append(_field(_("Ghi chú: "), supplement.note))
    blocks += [
        Paragraph.of(
            _("Thời hạn giải quyết hồ sơ được tính lại từ ngày Ông/Bà nộp đủ hồ sơ theo yêu cầu.")
        ),
        Paragraph.of(
            _(
                "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ %(desk)s để "
                "được hướng dẫn."
            )
            % {"desk": _desk(commune, forms)}
        ),
    ]
    return _dossier_form(
        forms,
        "supplement",
        dossier=dossier,
        dated=supplement.requested_at,
        blocks=blocks,
        signatures=(_desk_signer(str(supplement.requested_by)),),
        suffix=supplement.pk,
    )


# --- 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ ------------------------------------------


def _refuse_event(dossier: Dossier) -> DossierEvent | None:
    refused = [e for e in dossier.events.all() if e.kind == DossierAction.REFUSE]
    return refused[-1] if refused else None


def refusal_slip(*, dossier: Dossier) -> OfficialDocument:
    """Form 03: why the desk refused the dossier (the refuse event's note, or the dossier's
    closing reason). Raises Http404 for a dossier that was not refused."""
    if dossier.state != Dossier.State.REFUSED:
        raise Http404(_("Hồ sơ này không bị từ chối tiếp nhận."))
    forms = current_set()
    commune = dossier.commune
    event = _refuse_event(dossier)
    reason = (event.note if event and event.note else dossier.closing_reason) or BLANK
    refused_at = (event.at if event else None) or dossier.refused_at or dossier.state_changed_at
    officer = event.actor if event else dossier.created_by
    blocks = [
        Paragraph.of(_("%(desk)s tiếp nhận hồ sơ của:") % {"desk": _desk(commune, forms)}),
        _field(_("Ông/Bà: "), dossier.applicant_name, bold=True),
        *_contact_lines(dossier),
        Paragraph.of(
            _("Đề nghị giải quyết thủ tục hành chính: %(procedure)s (mã hồ sơ %(code)s).")
            % {"procedure": dossier.procedure.name, "code": dossier.code}
        ),
        Paragraph.of(
            _(
                "Sau khi nghiên cứu, đối chiếu với quy định hiện hành, %(desk)s từ chối tiếp nhận, "
                "giải quyết hồ sơ này với lý do cụ thể như sau:"
            )
            % {"desk": _desk(commune, forms)}
        ),
        Paragraph.of(Run(reason, bold=True)),
        Paragraph.of(_("Xin thông báo để Ông/Bà được biết và thực hiện.")),
    ]
    return _dossier_form(
        forms,
        "refusal",
        dossier=dossier,
        dated=refused_at,
        blocks=blocks,
        signatures=(_desk_signer(str(officer)),),
    )


# --- 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả -----------------------------------------


def _apology_signer(apology: ApologySlip) -> Signature:
    issuer = apology.issued_by
    official = getattr(issuer, "official", None) if issuer else None
    position = official.position.name if official and official.position_id else ""
    return Signature(
        title_lines=(position or _("Thủ trưởng cơ quan"),),
        hint=_("(Ký, ghi rõ họ tên và đóng dấu)"),
        name=str(issuer) if issuer else "",
    )


def apology_slip(*, apology: ApologySlip) -> OfficialDocument:
    """Form 04: the apology for a result later than promised, its reason and the new return
    date (DOMAIN.md "Apology slip content"). A slip not yet issued is marked as a draft."""
    if apology.state == ApologySlip.State.DROPPED:
        raise Http404(_("Phiếu xin lỗi này không được ban hành."))
    forms = current_set()
    form = forms.form("apology")
    dossier = apology.dossier
    commune = apology.commune
    draft = apology.state != ApologySlip.State.ISSUED
    number = f"{apology.number}/{form.symbol}" if apology.number else f"{BLANK}/{form.symbol}"
    if not form.symbol:
        number = str(apology.number or BLANK)
    dated = apology.issued_at or apology.drafted_at
    situation = (
        _("Tuy nhiên, hồ sơ của Ông/Bà không thể giải quyết xong đúng ngày đã hẹn.")
        if apology.kind == ApologySlip.Kind.RESCHEDULE
        else _("Tuy nhiên, đến nay hồ sơ của Ông/Bà chưa có kết quả như đã hẹn.")
    )
    new_date = _day(apology.new_due_date) or BLANK
    blocks = [
        Paragraph.of(
            _("Kính gửi: "),
            Run(_("Ông/Bà %(name)s") % {"name": dossier.applicant_name}, bold=True),
            align="center",
            indent=False,
        ),
        Paragraph.of(
            _("Ngày %(day)s, %(desk)s đã tiếp nhận hồ sơ của Ông/Bà:")
            % {"day": _day(local_day(dossier.received_at)), "desk": _desk(commune, forms)}
        ),
        *_contact_lines(dossier),
        _field(_("Lĩnh vực: "), dossier.procedure.field.name),
        _field(_("Thủ tục: "), dossier.procedure.name),
        _field(_("Mã hồ sơ (số biên nhận): "), dossier.code),
        _field(_("Thời gian hẹn trả kết quả: ngày "), _day(apology.original_due_date)),
        Paragraph.of(situation),
        _field(_("Lý do: "), apology.reason or BLANK),
        Paragraph.of(
            _(
                "Sự chậm trễ này đã gây phiền hà cho Ông/Bà. %(agency)s thành thật xin lỗi "
                "Ông/Bà và hẹn lại ngày trả kết quả như sau."
            )
            % {"agency": _desk(commune, forms)}
        ),
        Paragraph.of(
            Run(_("Ngày hẹn trả kết quả mới: %(day)s.") % {"day": new_date}, bold=True),
            align="center",
            indent=False,
        ),
        Paragraph.of(_("Rất mong Ông/Bà thông cảm. Trân trọng!")),
    ]
    return _dossier_form(
        forms,
        "apology",
        dossier=dossier,
        commune=commune,
        dated=dated,
        blocks=blocks,
        number_line=_("Số: %(number)s") % {"number": number},
        signatures=(_apology_signer(apology),),
        suffix=apology.pk,
        banner=_("Dự thảo – chưa ban hành") if draft else "",
        recipients=(
            _("- Như trên;"),
            _("- Lưu: VT, %(desk)s.") % {"desk": forms.desk_name},
        ),
    )


# --- 05 Phiếu kiểm soát quá trình giải quyết hồ sơ ----------------------------------------


def _party(office, official) -> str:
    if official is not None and office is not None:
        return f"{official.full_name} ({office.name})"
    if official is not None:
        return official.full_name
    return office.name if office is not None else ""


def _handover_ends(event: DossierEvent, dossier: Dossier, desk: str) -> tuple[str, str]:
    """(who gave, who took) for one history row; the desk and the applicant where the row
    itself names nobody."""
    at_desk = _("%(person)s (%(desk)s)") % {"person": event.actor, "desk": desk}
    applicant = _("Người nộp: %(name)s") % {"name": dossier.applicant_name}
    giver = _party(event.from_office, event.from_official)
    taker = _party(event.to_office, event.to_official)
    kind = event.kind
    if kind == DossierAction.RECEIVE:
        return applicant, taker or at_desk
    if kind == DossierAction.HANDOVER:
        return giver or at_desk, taker
    if kind == DossierAction.COMPLETE_SUPPLEMENT:
        return applicant, at_desk
    if kind == DossierAction.RESULT_READY:
        return giver or str(event.actor), desk
    return giver or at_desk, taker or applicant


def _step_result(event: DossierEvent) -> str:
    lines = []
    if event.step_result:
        lines.append(event.get_step_result_display())
    elif event.kind == DossierAction.HANDOVER and event.step_due_date:
        lines.append(_("Đang giải quyết"))
    if event.step_due_date:
        lines.append(_("Hạn: %(day)s") % {"day": _day(event.step_due_date)})
    if event.step_finished_at and event.kind == DossierAction.HANDOVER:
        lines.append(_("Xong: %(at)s") % {"at": _minute(event.step_finished_at)})
    return "\n".join(lines)


def control_rows(dossier: Dossier, desk: str) -> list[tuple[str, ...]]:
    """One row per history event (prefetched): who handed the dossier to whom, the minute,
    room for both signatures, the step's result and the note."""
    rows = []
    for event in dossier.events.all():
        giver, taker = _handover_ends(event, dossier, desk)
        what = "\n".join(
            [
                event.get_kind_display(),
                _("Giao: %(who)s") % {"who": giver},
                _("Nhận: %(who)s") % {"who": taker or BLANK},
            ]
        )
        rows.append((what, _minute(event.at), "", "", _step_result(event), event.note))
    return rows


def _timeliness_text(dossier: Dossier, today: date | None) -> str:
    current = timeliness(dossier, today=today)
    text = str(TIMELINESS_LABELS[current]) if current else _("chưa đánh giá")
    if dossier.original_due_date:
        original = timeliness(dossier, against="original", today=today)
        text += " " + _("(so với ngày hẹn ban đầu %(day)s: %(result)s)") % {
            "day": _day(dossier.original_due_date),
            "result": str(TIMELINESS_LABELS[original]) if original else _("chưa đánh giá"),
        }
    return text


def control_slip(*, dossier: Dossier, today: date | None = None) -> OfficialDocument:
    """Form 05: every hand-over of the dossier to the minute, with signature columns and each
    step's result (early / on time / late)."""
    forms = current_set()
    desk = forms.desk_short_name
    due = _day(dossier.due_date)
    if dossier.original_due_date:
        due += " " + _("(đã hẹn lại; ngày hẹn ban đầu %(day)s)") % {
            "day": _day(dossier.original_due_date)
        }
    handler = _party(dossier.handling_office, dossier.handling_official)
    blocks = [
        _field(_("Thủ tục: "), dossier.procedure.name),
        _field(_("Người nộp: "), dossier.applicant_name, bold=True),
        _field(_("Tiếp nhận lúc: "), _clock(dossier.received_at)),
        _field(_("Ngày hẹn trả kết quả: "), due),
        _field(_("Cơ quan, bộ phận đang giải quyết: "), handler or forms.desk_name),
        Table(
            headers=(
                _("Giao, nhận hồ sơ"),
                _("Thời gian giao, nhận"),
                _("Người giao ký"),
                _("Người nhận ký"),
                _("Kết quả (trước hạn, đúng hạn, quá hạn)"),
                _("Ghi chú"),
            ),
            rows=tuple(control_rows(dossier, desk)),
            widths=(31, 17, 12, 12, 17, 15),
        ),
        _field(_("Kết quả giải quyết hồ sơ: "), _timeliness_text(dossier, today), bold=True),
    ]
    return _dossier_form(
        forms, "control", dossier=dossier, dated=dossier.received_at, blocks=blocks
    )


# --- 06 Sổ theo dõi hồ sơ -----------------------------------------------------------------


def register_headers() -> tuple[str, ...]:
    return (
        _("STT"),
        _("Mã hồ sơ"),
        _("Tên thủ tục hành chính"),
        _("Số lượng hồ sơ (bộ)"),
        _("Tên cá nhân, tổ chức"),
        _("Địa chỉ, số điện thoại"),
        _("Ngày, giờ nhận hồ sơ"),
        _("Ngày hẹn trả kết quả"),
        _("Chuyển hồ sơ đến cơ quan, bộ phận giải quyết"),
        _("Ngày có kết quả / đã trả"),
        _("Trước hạn / đúng hạn / quá hạn"),
        _("Ghi chú"),
    )


REGISTER_WIDTHS = (5, 12, 14, 6, 12, 11, 10, 10, 12, 10, 9, 9)
# States shown in the note column: the others speak through the dates.
NOTED_STATES = frozenset({Dossier.State.SUPPLEMENT, Dossier.State.REFUSED, Dossier.State.WITHDRAWN})


def _register_timeliness(dossier: Dossier) -> str:
    current = getattr(dossier, "timeliness", None)
    text = str(TIMELINESS_LABELS[current]) if current else ""
    if dossier.original_due_date:
        original = getattr(dossier, "timeliness_original", None)
        if original:
            text += "\n" + _("(hẹn ban đầu: %(result)s)") % {
                "result": str(TIMELINESS_LABELS[original])
            }
    return text


def register_cells(dossier: Dossier, number: int) -> tuple[str, ...]:
    """One register row (the dossier annotated by with_timeliness, hand-overs prefetched)."""
    contact = "\n".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
    due = _day(dossier.due_date)
    if dossier.original_due_date:
        due += "\n" + _("(ban đầu %(day)s)") % {"day": _day(dossier.original_due_date)}
    transfers = "; ".join(
        dict.fromkeys(_party(e.to_office, e.to_official) for e in getattr(dossier, "handovers", []))
    )
    finished = []
    if dossier.result_ready_at:
        finished.append(_("Có KQ: %(day)s") % {"day": _day(local_day(dossier.result_ready_at))})
    if dossier.returned_at:
        finished.append(_("Đã trả: %(day)s") % {"day": _day(local_day(dossier.returned_at))})
    notes = []
    if dossier.state in NOTED_STATES:
        notes.append(dossier.get_state_display())
    if dossier.closing_reason:
        notes.append(dossier.closing_reason)
    if dossier.note:
        notes.append(dossier.note)
    return (
        str(number),
        dossier.code,
        dossier.procedure.name,
        "01",
        dossier.applicant_name,
        contact,
        _minute(dossier.received_at).replace(", ", "\n"),
        due,
        transfers,
        "\n".join(finished),
        _register_timeliness(dossier),
        "\n".join(notes),
    )


def register_document(
    *,
    dossiers: Iterable[Dossier],
    date_from: date,
    date_to: date,
    agency_lines: Sequence[str],
    place: str,
    counts: dict[str, int] | None = None,
    total: int | None = None,
    first_number: int = 1,
    filters: Sequence[str] = (),
    today: date | None = None,
) -> OfficialDocument:
    """Form 06: the register of dossiers received in a period (A4 landscape)."""
    forms = current_set()
    form = forms.form("register")
    rows = tuple(
        register_cells(dossier, number) for number, dossier in enumerate(dossiers, first_number)
    )
    period = _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": _day(date_from),
        "end": _day(date_to),
    }
    blocks: list = [
        Table(
            headers=register_headers(),
            rows=rows,
            widths=REGISTER_WIDTHS,
            column_numbers=True,
            compact=True,
        )
    ]
    if not rows:
        blocks.insert(0, Paragraph.of(_("Không có hồ sơ nào trong thời gian này."), indent=False))
    if counts is not None:
        blocks.append(
            Paragraph.of(
                _(
                    "Tổng số: %(total)s hồ sơ; trước hạn: %(early)s; đúng hạn: %(on_time)s; "
                    "quá hạn: %(late)s."
                )
                % {
                    "total": len(rows) if total is None else total,
                    "early": counts["early"],
                    "on_time": counts["on_time"],
                    "late": counts["late"],
                },
                indent=False,
            )
        )
    return OfficialDocument(
        title=form.title,
        title_lines=(period, *filters),
        agency_lines=tuple(agency_lines),
        place_date=place_and_date(place, today or today_local()) if place else "",
        paper=form.paper,
        landscape=form.landscape,
        form_ref=forms.reference("register"),
        blocks=tuple(blocks),
        filename=f"so-theo-doi-ho-so-{date_from:%Y%m%d}-{date_to:%Y%m%d}",
    )


def register_xlsx(document: OfficialDocument) -> bytes:
    """The register document as a spreadsheet: the same title, period, columns and rows."""
    table = next(block for block in document.blocks if isinstance(block, Table))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(document.title)[:31]
    width = len(table.headers)
    font = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    lines = [*document.agency_lines, document.title.upper(), *document.title_lines]
    for line in lines:
        append_text_row(sheet, [line])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
    header_row = sheet.max_row + 1
    append_text_row(sheet, list(table.headers))
    append_text_row(sheet, [f"({n})" for n in range(1, width + 1)])
    for cell in sheet[header_row]:
        cell.font, cell.alignment = bold, centred
    for cell in sheet[header_row + 1]:
        cell.font, cell.alignment = font, centred
    for row in table.rows:
        append_text_row(sheet, [int(row[0]), *row[1:]], wrap=True)
        for cell in sheet[sheet.max_row]:
            cell.font = font
    for block in document.blocks:
        if isinstance(block, Paragraph):
            append_text_row(sheet, [block.text])
            sheet.cell(row=sheet.max_row, column=1).font = font
    total = sum(table.widths)
    for index, share in enumerate(table.widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = round(160 * share / total, 1)
    sheet.freeze_panes = sheet.cell(row=header_row + 2, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row + 1}"
    sheet.page_setup.orientation = "landscape" if document.landscape else "portrait"
    sheet.page_setup.paperSize = (
        sheet.PAPERSIZE_A4 if document.paper == "A4" else sheet.PAPERSIZE_A5
    )
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(workbook)
