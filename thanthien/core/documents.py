"""Administrative documents laid out as ND 30/2020/NĐ-CP (appendix I) asks, as data and as DOCX.

An `OfficialDocument` is a neutral description of one document: paper, the two-column header
(issuing body and number left; national title, motto, place and date right), title, body
blocks, recipients and signatures. A print page (core/document_print.html) and `build_docx`
render the same description, so the sheet the desk prints and the file an official edits in
Word carry the same text. Letters and notices of other apps reuse it.

Page and type (DOMAIN.md "Document format"): A4 uses ND 30's margins (top and bottom 20 mm,
left 30 mm, right 15 mm: the low end of each range, to leave the most room for text) and
type (national title 13 pt, motto 14 pt, body 14 pt, "Nơi nhận:" 12 pt). ND 30 sets these
for A4. A5 slips are half an A4 sheet, so their margins are ND 30's scaled by 1/√2 and
rounded (top and bottom 15 mm, left 21 mm, right 11 mm), and their type is one point under
ND 30's smallest sizes (national title 11 pt, motto 12 pt, body 12 pt; "Nơi nhận:" stays
12 pt): at 12 pt the national title leaves the issuing body a 30 mm column, its name wraps
over four lines, and a receipt with its QR code no longer fits one A5 sheet.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import segno
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

__all__ = [
    "DOCX_CONTENT_TYPE",
    "FONT",
    "PAPERS",
    "Items",
    "OfficialDocument",
    "Paper",
    "Paragraph",
    "QrCode",
    "Run",
    "Signature",
    "Table",
    "TypeSizes",
    "build_docx",
    "place_and_date",
    "qr_png",
]

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
NATIONAL_TITLE = gettext_lazy("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
MOTTO = gettext_lazy("Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class TypeSizes:
    """Point sizes of each part of a document."""

    agency: float
    national: float
    motto: float
    place_date: float
    title: float
    body: float
    table: float
    recipients_label: float
    recipients: float
    signature: float
    small: float


@dataclass(frozen=True)
class Paper:
    """A sheet size with its margins (mm, as for portrait) and type sizes."""

    name: str
    width_mm: float
    height_mm: float
    margin_top_mm: float
    margin_right_mm: float
    margin_bottom_mm: float
    margin_left_mm: float
    sizes: TypeSizes
    # Share of the text width for the issuing body's column: the rest must hold the
    # national title on one line at its size.
    header_left_share: float
    first_line_indent_cm: float
    signature_space_mm: float
    qr_mm: float

    def size_mm(self, *, landscape: bool) -> tuple[float, float]:
        if landscape:
            return self.height_mm, self.width_mm
        return self.width_mm, self.height_mm

    def text_width_mm(self, *, landscape: bool) -> float:
        return self.size_mm(landscape=landscape)[0] - self.margin_left_mm - self.margin_right_mm


PAPERS: dict[str, Paper] = {
    "A4": Paper(
        name="A4",
        width_mm=210,
        height_mm=297,
        margin_top_mm=20,
        margin_right_mm=15,
        margin_bottom_mm=20,
        margin_left_mm=30,
        sizes=TypeSizes(
            agency=13,
            national=13,
            motto=14,
            place_date=14,
            title=14,
            body=14,
            table=12,
            recipients_label=12,
            recipients=11,
            signature=14,
            small=11,
        ),
        header_left_share=0.4,
        first_line_indent_cm=1.27,
        signature_space_mm=22,
        qr_mm=30,
    ),
    "A5": Paper(
        name="A5",
        width_mm=148,
        height_mm=210,
        margin_top_mm=15,
        margin_right_mm=11,
        margin_bottom_mm=15,
        margin_left_mm=21,
        sizes=TypeSizes(
            agency=11,
            national=11,
            motto=12,
            place_date=11,
            title=13,
            body=12,
            table=10,
            recipients_label=12,
            recipients=11,
            signature=12,
            small=10,
        ),
        header_left_share=0.33,
        first_line_indent_cm=1.0,
        signature_space_mm=14,
        qr_mm=22,
    ),
}


@dataclass(frozen=True)
class Run:
    """A piece of text with its emphasis."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: justified with a first-line indent unless told otherwise."""

    kind: ClassVar[str] = "paragraph"
    runs: tuple[Run, ...]
    align: str = "justify"  # justify | left | center | right
    indent: bool = True
    # A line of a group ("Địa chỉ: …", "Số điện thoại: …") rather than a paragraph of prose:
    # 1 pt after it instead of 6 pt, so that a slip fits its sheet.
    tight: bool = False

    @classmethod
    def of(
        cls,
        *parts: "str | Run",
        align: str = "justify",
        indent: bool = True,
        tight: bool = False,
    ) -> "Paragraph":
        runs = tuple(part if isinstance(part, Run) else Run(str(part)) for part in parts)
        return cls(runs=runs, align=align, indent=indent, tight=tight)

    @property
    def space_after_pt(self) -> float:
        return 1 if self.tight else 6

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Items:
    """A list of lines (numbered 1. 2. 3. or dashed)."""

    kind: ClassVar[str] = "items"
    items: tuple[str, ...]
    numbered: bool = True

    def labelled(self) -> list[tuple[str, str]]:
        return [(f"{n}." if self.numbered else "-", item) for n, item in enumerate(self.items, 1)]


@dataclass(frozen=True)
class Table:
    """A ruled table; a cell's line breaks ("\\n") are kept. `widths` are relative shares."""

    kind: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    # Registers number their columns (1), (2)… under the header row.
    column_numbers: bool = False
    # Many narrow columns (a register): the paper's small type instead of its table type.
    compact: bool = False

    def font_pt(self, paper: "Paper") -> float:
        return paper.sizes.small if self.compact else paper.sizes.table

    def shares(self) -> list[float]:
        widths = self.widths or tuple(1.0 for _ in self.headers)
        total = sum(widths)
        return [w / total for w in widths]

    def percentages(self) -> list[float]:
        return [round(share * 100, 2) for share in self.shares()]


@dataclass(frozen=True)
class QrCode:
    """A QR code that opens `url`, with a caption beside it."""

    kind: ClassVar[str] = "qr"
    url: str
    caption: str


Block = Paragraph | Items | Table | QrCode


@dataclass(frozen=True)
class Signature:
    """A signature block: capacity lines (bold capitals), a hint, room to sign, the name."""

    title_lines: tuple[str, ...]
    name: str = ""
    hint: str = ""


@dataclass(frozen=True)
class OfficialDocument:
    """One document as ND 30/2020 lays it out, independent of the output format."""

    title: str
    # The issuing body: the first line (the body above it) in capitals, the last bold.
    agency_lines: tuple[str, ...]
    number_line: str = ""
    place_date: str = ""
    paper: str = "A4"
    landscape: bool = False
    title_lines: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    recipients: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()
    # A small reference line above the header ("Mẫu số 01 …"), and a banner such as
    # "DỰ THẢO" for a document not yet issued.
    form_ref: str = ""
    banner: str = ""
    filename: str = "van-ban"

    @property
    def paper_spec(self) -> Paper:
        return PAPERS[self.paper]

    @property
    def css_page_size(self) -> str:
        return f"{self.paper} {'landscape' if self.landscape else 'portrait'}"

    @property
    def sheet_width_mm(self) -> float:
        return self.paper_spec.size_mm(landscape=self.landscape)[0]

    @property
    def sheet_height_mm(self) -> float:
        return self.paper_spec.size_mm(landscape=self.landscape)[1]

    @property
    def header_left_percent(self) -> float:
        share = self.paper_spec.header_left_share
        if self.landscape:
            # The same left column width as on the portrait sheet.
            portrait = self.paper_spec.text_width_mm(landscape=False)
            share = share * portrait / self.paper_spec.text_width_mm(landscape=True)
        return round(share * 100, 2)

    @property
    def national_title(self) -> str:
        return str(NATIONAL_TITLE)

    @property
    def motto(self) -> str:
        return str(MOTTO)

    @property
    def recipients_label(self) -> str:
        return _("Nơi nhận:")

    @property
    def text(self) -> str:
        """Every word of the document, for searching and tests."""
        parts = [
            self.form_ref,
            self.banner,
            *self.agency_lines,
            self.number_line,
            self.national_title,
            self.motto,
            self.place_date,
            self.title,
            *self.title_lines,
        ]
        for block in self.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Items):
                parts.extend(block.items)
            elif isinstance(block, Table):
                parts.extend(block.headers)
                parts.extend(cell for row in block.rows for cell in row)
            elif isinstance(block, QrCode):
                parts.append(block.caption)
        parts.extend(self.recipients)
        for signature in self.signatures:
            parts.extend([*signature.title_lines, signature.hint, signature.name])
        return "\n".join(p for p in parts if p)


def place_and_date(place: str, day: date) -> str:
    """ "Xã An, ngày 05 tháng 3 năm 2025": ND 30 writes a day under 10 and the months 1 and 2
    with a leading zero, other numbers as they are."""
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


# --- DOCX --------------------------------------------------------------------------------

ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
BLACK = RGBColor(0, 0, 0)
STYLED_TYPES = (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE)
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _set_rfonts(rpr) -> None:
    """Times New Roman for every script, East-Asian included: Word picks the w:eastAsia font
    for Vietnamese text in some locales, and a theme font would win over a named one."""
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_FONT_ATTRS:
        key = qn(attr)
        if key in fonts.attrib:
            del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _set_language(rpr, code: str = "vi-VN") -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), code)


def _style_fonts(document, body_pt: float) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in THEME_FONT_ATTRS:
                if qn(attr) in fonts.attrib:
                    del fonts.attrib[qn(attr)]
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT)
            _set_language(rpr)
    for style in styles:
        if style.type not in STYLED_TYPES:
            continue
        style.font.name = FONT
        style.font.color.rgb = BLACK
        _set_rfonts(style.element.get_or_add_rPr())
    normal = styles["Normal"]
    normal.font.size = Pt(body_pt)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _run(
    paragraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    caps: bool = False,
):
    run = paragraph.add_run()
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index:
            run.add_break()
        run.add_text(line)
    font = run.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.underline = underline
    font.all_caps = caps
    font.color.rgb = BLACK
    _set_rfonts(run._element.get_or_add_rPr())
    return run


def _paragraph(container, *, align: str = "left", after: float = 0, before: float = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(before)
    return paragraph


def _cell_paragraph(cell, *, align: str = "center", after: float = 0, before: float = 0):
    """The cell's first (empty) paragraph the first time, a new one after that."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.runs:
        first.alignment = ALIGN[align]
        first.paragraph_format.space_after = Pt(after)
        first.paragraph_format.space_before = Pt(before)
        return first
    return _paragraph(cell, align=align, after=after, before=before)


def _table_borders(table, *, visible: bool) -> None:
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = OxmlElement("w:tblBorders")
        tbl_pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = borders.find(qn(f"w:{edge}"))
        if element is None:
            element = OxmlElement(f"w:{edge}")
            borders.append(element)
        element.set(qn("w:val"), "single" if visible else "nil")
        if visible:
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")


def _table_cell_margins(table, *, side_mm: float) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(side_mm * 56.7)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _fixed_table(container, rows: int, widths_mm: list[float], *, borders: bool):
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    _table_borders(table, visible=borders)
    for index, width in enumerate(widths_mm):
        table.columns[index].width = Mm(width)
        for cell in table.columns[index].cells:
            cell.width = Mm(width)
    return table


def _rule_below(paragraph, *, indent_mm: float) -> None:
    """The short solid line under the issuing body (a bottom border narrowed by indents)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.append(borders)
    paragraph.paragraph_format.left_indent = Mm(indent_mm)
    paragraph.paragraph_format.right_indent = Mm(indent_mm)


def _page_numbers(section, size: float) -> None:
    """ND 30: page numbers at the top centre, from the second page on."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    run = _run(paragraph, "2", size=size)
    field.append(run._element)


def _header(document, spec: OfficialDocument, text_mm: float) -> None:
    paper = spec.paper_spec
    sizes = paper.sizes
    left_mm = round(text_mm * spec.header_left_percent / 100, 1)
    table = _fixed_table(document, 1, [left_mm, text_mm - left_mm], borders=False)
    _table_cell_margins(table, side_mm=0.5)
    left, right = table.rows[0].cells
    lines = spec.agency_lines or ("",)
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        paragraph = _cell_paragraph(left)
        _run(paragraph, line, size=sizes.agency, bold=last and len(lines) > 1, caps=True)
        if last:
            _rule_below(paragraph, indent_mm=left_mm / 3)
    if spec.number_line:
        _run(_cell_paragraph(left, before=4), spec.number_line, size=sizes.agency)
    _run(_cell_paragraph(right), spec.national_title, size=sizes.national, bold=True, caps=True)
    _run(_cell_paragraph(right), spec.motto, size=sizes.motto, bold=True, underline=True)
    if spec.place_date:
        _run(_cell_paragraph(right, before=6), spec.place_date, size=sizes.place_date, italic=True)


def _block_paragraph(document, block: Paragraph, paper: Paper) -> None:
    paragraph = _paragraph(document, align=block.align, after=block.space_after_pt)
    if block.indent:
        paragraph.paragraph_format.first_line_indent = Cm(paper.first_line_indent_cm)
    for run in block.runs:
        _run(
            paragraph,
            run.text,
            size=paper.sizes.body,
            bold=run.bold,
            italic=run.italic,
            underline=run.underline,
        )


def _block_items(document, block: Items, paper: Paper) -> None:
    labelled = block.labelled()
    for index, (label, item) in enumerate(labelled, 1):
        paragraph = _paragraph(document, align="justify", after=6 if index == len(labelled) else 1)
        paragraph.paragraph_format.left_indent = Cm(paper.first_line_indent_cm + 0.5)
        paragraph.paragraph_format.first_line_indent = Cm(-0.5)
        _run(paragraph, f"{label} {item}", size=paper.sizes.body)


def _block_table(document, block: Table, paper: Paper, text_mm: float) -> None:
    widths = [text_mm * share for share in block.shares()]
    extra = 1 if block.column_numbers else 0
    table = _fixed_table(document, 1 + extra + len(block.rows), widths, borders=True)
    size = block.font_pt(paper)
    header = table.rows[0]
    # The header row repeats on each page of a long register.
    tr_pr = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(header.cells, block.headers, strict=True):
        _run(_cell_paragraph(cell, align="center"), text, size=size, bold=True)
    if block.column_numbers:
        for number, cell in enumerate(table.rows[1].cells, 1):
            _run(_cell_paragraph(cell, align="center"), f"({number})", size=size, italic=True)
    for row, values in zip(table.rows[1 + extra :], block.rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _run(_cell_paragraph(cell, align="left"), text, size=size)
    _paragraph(document, after=6)


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG for Word (error correction "Q", as on the print page)."""
    out = io.BytesIO()
    segno.make(url, error="q", micro=False).save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def _block_qr(document, block: QrCode, paper: Paper, text_mm: float) -> None:
    png = io.BytesIO(qr_png(block.url))
    qr_mm = paper.qr_mm
    table = _fixed_table(document, 1, [qr_mm + 4, text_mm - qr_mm - 4], borders=False)
    picture, caption = table.rows[0].cells
    _cell_paragraph(picture, align="left").add_run().add_picture(png, width=Mm(qr_mm))
    _run(_cell_paragraph(caption, align="left"), block.caption, size=paper.sizes.small, italic=True)
    _paragraph(document, after=6)


def _signature_cell(cell, signature: Signature, paper: Paper) -> None:
    sizes = paper.sizes
    for line in signature.title_lines:
        _run(_cell_paragraph(cell), line, size=sizes.signature, bold=True, caps=True)
    if signature.hint:
        _run(_cell_paragraph(cell), signature.hint, size=sizes.small, italic=True)
    name = _cell_paragraph(cell)
    name.paragraph_format.space_before = Mm(paper.signature_space_mm)
    _run(name, signature.name or " ", size=sizes.signature, bold=True)


def _closing(document, spec: OfficialDocument, text_mm: float) -> None:
    paper = spec.paper_spec
    if not spec.recipients and not spec.signatures:
        return
    if spec.recipients:
        widths = [text_mm * 0.45, text_mm * 0.55]
        table = _fixed_table(document, 1, widths, borders=False)
        left, right = table.rows[0].cells
        label = _cell_paragraph(left, align="left")
        _run(
            label, spec.recipients_label, size=paper.sizes.recipients_label, bold=True, italic=True
        )
        for line in spec.recipients:
            _run(_cell_paragraph(left, align="left"), line, size=paper.sizes.recipients)
        for signature in spec.signatures:
            _signature_cell(right, signature, paper)
        return
    count = len(spec.signatures)
    table = _fixed_table(document, 1, [text_mm / count] * count, borders=False)
    for cell, signature in zip(table.rows[0].cells, spec.signatures, strict=True):
        _signature_cell(cell, signature, paper)


def _page_setup(section, spec: OfficialDocument) -> None:
    """Paper, orientation, margins and page numbers of one document's section."""
    paper = spec.paper_spec
    width, height = paper.size_mm(landscape=spec.landscape)
    section.orientation = WD_ORIENT.LANDSCAPE if spec.landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(width)
    section.page_height = Mm(height)
    section.top_margin = Mm(paper.margin_top_mm)
    section.bottom_margin = Mm(paper.margin_bottom_mm)
    section.left_margin = Mm(paper.margin_left_mm)
    section.right_margin = Mm(paper.margin_right_mm)
    section.header_distance = Mm(paper.margin_top_mm / 2)
    section.footer_distance = Mm(paper.margin_bottom_mm / 2)


def _restart_page_numbers(section) -> None:
    """This section's pages are numbered from 1 again (each document of a batch)."""
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        # Schema order: pgNumType comes right after pgMar.
        sect_pr.find(qn("w:pgMar")).addnext(numbering)
    numbering.set(qn("w:start"), "1")


def _write(document, spec: OfficialDocument) -> None:
    """Append the document's content at the end of `document` (its current section)."""
    paper = spec.paper_spec
    text_mm = paper.text_width_mm(landscape=spec.landscape)
    if spec.form_ref:
        reference = _paragraph(document, align="right")
        _run(reference, spec.form_ref, size=paper.sizes.small, italic=True)
    if spec.banner:
        banner = _paragraph(document, align="center", after=4)
        _run(banner, spec.banner, size=paper.sizes.title, bold=True, caps=True)
    _header(document, spec, text_mm)
    title = _paragraph(document, align="center", before=12)
    _run(title, spec.title, size=paper.sizes.title, bold=True, caps=True)
    for line in spec.title_lines:
        _run(_paragraph(document, align="center"), line, size=paper.sizes.body)
    _paragraph(document, after=4)
    for block in spec.blocks:
        if isinstance(block, Paragraph):
            _block_paragraph(document, block, paper)
        elif isinstance(block, Items):
            _block_items(document, block, paper)
        elif isinstance(block, Table):
            _block_table(document, block, paper, text_mm)
        elif isinstance(block, QrCode):
            _block_qr(document, block, paper, text_mm)
        else:  # pragma: no cover - a new block kind must be taught to the builder
            raise TypeError(f"unknown block {block!r}")
    _closing(document, spec, text_mm)


def build_docx(spec: OfficialDocument) -> bytes:
    """The document as a Word file (.docx bytes), in Times New Roman on its paper size."""
    return build_docx_batch([spec])


def build_docx_batch(specs: Sequence[OfficialDocument]) -> bytes:
    """Several documents in one Word file, each in its own section starting on a new page,
    with its own paper and page numbers restarting at 1 (letters printed in a batch).

    The documents are written into one python-docx document: building each as a file and
    merging them costs a save and a parse per document.
    """
    if not specs:
        raise ValueError("build_docx_batch needs at least one document")
    document = new_docx()
    _style_fonts(document, specs[0].paper_spec.sizes.body)
    body = document.element.body
    # python-docx finds the end of the body by scanning it for every paragraph it adds, so a
    # long batch would take quadratic time: finished documents wait aside, and come back at
    # the end, in order, before the last section's properties.
    finished = []
    for index, spec in enumerate(specs):
        section = document.sections[0] if index == 0 else document.add_section(WD_SECTION.NEW_PAGE)
        _page_setup(section, spec)
        if index == 0:
            _page_numbers(section, spec.paper_spec.sizes.small + 1)
        else:
            # The header (page number from page 2) is inherited from the first section.
            section.different_first_page_header_footer = True
            _restart_page_numbers(section)
        _write(document, spec)
        for element in list(body):
            if element.tag != qn("w:sectPr"):
                body.remove(element)
                finished.append(element)
    last_section = body.find(qn("w:sectPr"))
    for element in finished:
        last_section.addprevious(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
