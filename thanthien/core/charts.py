"""Charts drawn on the server as SVG: no JavaScript, light on the wire, sharp on paper.

Every chart is an `<svg role="img">` named by its `<title>` and described by a `<desc>` that
says every number, so a screen reader gets the data, not a picture. Numbers and percentages
are also written as text on the chart. Series differ in lightness *and* pattern (solid dark,
light dotted, hatched, …), so a black-and-white printout still tells them apart. Every label
is escaped. The functions are generic — rows or columns of counts per series — so the desk's
dashboard, survey results and scoring share them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil, floor, log10

from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

__all__ = [
    "STYLES",
    "Column",
    "IndexBar",
    "Row",
    "Series",
    "column_chart",
    "format_count",
    "format_percent",
    "index_chart",
    "percentages",
    "stacked_bar_chart",
]

WIDTH = 640
PAD = 8
FONT = 14
SMALL = 12
# Rough advance of one character, in em, for laying out text without font metrics.
CHAR_EM = 0.56


@dataclass(frozen=True)
class SeriesStyle:
    fill: str
    pattern: str  # "" (solid), "dots", "hatch", "lines", "cross"
    ink: str  # colour of the pattern's marks


# Ordered so neighbours differ in lightness: dark solid, light dotted, mid hatched, …
STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#1f5f3a", "", ""),  # dark green, solid (L* ≈ 35)
    SeriesStyle("#c4e4cc", "dots", "#1f5f3a"),  # light green, dotted (L* ≈ 88)
    SeriesStyle("#b3261e", "hatch", "#ffffff"),  # red, white diagonal hatch (L* ≈ 40)
    SeriesStyle("#f4d27a", "lines", "#5c4400"),  # light amber, horizontal lines (L* ≈ 86)
    SeriesStyle("#3c5a8c", "cross", "#ffffff"),  # blue, white cross-hatch (L* ≈ 38)
    SeriesStyle("#e6e6e6", "", ""),  # pale grey, solid (L* ≈ 91)
)


@dataclass(frozen=True)
class Series:
    """One kind of value (early, on time, late; or a rating from 1 to 5)."""

    label: str
    style: int | None = None  # index into STYLES; None: the series' position


@dataclass(frozen=True)
class Row:
    """One horizontal bar: a label and one value per series."""

    label: str
    values: Sequence[int | float]


@dataclass(frozen=True)
class Column:
    """One column (a month): a label and one value per series."""

    label: str
    values: Sequence[int | float]
    # A longer name for the description ("tháng 03/2025" where the axis says "03/25").
    long_label: str = field(default="")


def format_count(value: int | float) -> str:
    """1234 -> "1.234" in Vietnamese, "1,234" in English (Django's vi formats do not group)."""
    thousands = get_format("THOUSAND_SEPARATOR")
    if isinstance(value, float) and not value.is_integer():
        whole, _dot, fraction = f"{value:,.1f}".partition(".")
        return f"{whole.replace(',', thousands)}{get_format('DECIMAL_SEPARATOR')}{fraction}"
    return f"{int(value):,}".replace(",", thousands)


def format_percent(value: float) -> str:
    """33.333 -> "33,3%" in Vietnamese, "33.3%" in English (one decimal)."""
    text = f"{value:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return _("%(value)s%%") % {"value": text}


def percentages(values: Sequence[int | float]) -> list[int]:
    """Whole percentages that add up to exactly 100 (largest remainder); all 0 for a zero total."""
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    exact = [v * 100 / total for v in values]
    whole = [floor(x) for x in exact]
    short = 100 - sum(whole)
    by_remainder = sorted(range(len(values)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in by_remainder[:short]:
        whole[i] += 1
    return whole


def _percent(value: int) -> str:
    return _("%(value)s%%") % {"value": value}


def _value_text(series: Series, value: int | float, percent: int) -> str:
    return _("%(series)s %(count)s (%(percent)s)") % {
        "series": series.label,
        "count": format_count(value),
        "percent": _percent(percent),
    }


def _chart_id(title: str, prefix: str) -> str:
    return f"{prefix}-{hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:8]}"


def _style(series: Series, position: int) -> SeriesStyle:
    index = position if series.style is None else series.style
    return STYLES[index % len(STYLES)]


def _fill(chart_id: str, series: Series, position: int) -> str:
    style = _style(series, position)
    return f"url(#{chart_id}-s{position})" if style.pattern else style.fill


def _pattern(chart_id: str, position: int, style: SeriesStyle) -> str:
    pid = f"{chart_id}-s{position}"
    base = f'<rect width="8" height="8" fill="{style.fill}"/>'
    marks = {
        "dots": f'<circle cx="4" cy="4" r="1.4" fill="{style.ink}"/>',
        "hatch": f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{style.ink}" '
        'stroke-width="1.6"/>',
        "lines": f'<path d="M0,2 h8 M0,6 h8" stroke="{style.ink}" stroke-width="1.2"/>',
        "cross": f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{style.ink}" stroke-width="1.2"/>',
    }[style.pattern]
    return (
        f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
        f"{base}{marks}</pattern>"
    )


def _defs(chart_id: str, series: Sequence[Series]) -> str:
    patterns = [
        _pattern(chart_id, i, _style(s, i)) for i, s in enumerate(series) if _style(s, i).pattern
    ]
    return f"<defs>{''.join(patterns)}</defs>" if patterns else ""


def _text_width(text: str, size: int) -> float:
    return len(text) * size * CHAR_EM


def _fit(text: str, width: float, size: int) -> str:
    """The text, cut with an ellipsis if it would run past `width` pixels."""
    limit = max(int(width / (size * CHAR_EM)), 4)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(
    x: float, y: float, text: str, *, size: int = FONT, anchor: str = "start", **attrs
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>'
        f"{escape(text)}</text>"
    )


def _halo_text(x: float, y: float, text: str, *, size: int = SMALL, anchor="middle") -> str:
    """Black text with a white outline: readable on any fill, dark or hatched."""
    return _text(
        x,
        y,
        text,
        size=size,
        anchor=anchor,
        fill="#000",
        stroke="#fff",
        stroke_width="3",
        paint_order="stroke",
        font_weight="600",
    )


def _legend(chart_id: str, series: Sequence[Series], y: float) -> tuple[str, float]:
    """Swatches with their labels, wrapped over as many lines as needed; (markup, height)."""
    parts, x, line = [], PAD, 0
    for i, s in enumerate(series):
        needed = 22 + _text_width(s.label, SMALL) + 16
        if x > PAD and x + needed > WIDTH - PAD:
            x, line = PAD, line + 1
        top = y + line * 22
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="16" height="16" '
            f'fill="{_fill(chart_id, s, i)}" stroke="#000" stroke-width="1"/>'
        )
        parts.append(_text(x + 22, top + 13, s.label, size=SMALL))
        x += needed
    return "".join(parts), (line + 1) * 22


def _wrap(parts: Sequence[str], width: float, size: int, separator: str = " · ") -> list[str]:
    lines, current = [], ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if current and _text_width(candidate, size) > width:
            lines.append(current)
            current = part
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _bar(x: float, y: float, width: float, height: float, fill: str) -> str:
    """One bar or segment of a series, outlined so neighbours stay apart in black and white."""
    x, y, width, height = (v if isinstance(v, int) else f"{v:.2f}" for v in (x, y, width, height))
    return (
        f'<rect x="{x}" y="{y}" width="{width}" height="{height}" '
        f'fill="{fill}" stroke="#000" stroke-width="0.75"/>'
    )


def _begin(
    title: str, series: Sequence[Series], items: Sequence[Row | Column], chart_id: str, prefix: str
) -> tuple[str, list[str], float]:
    """Check the data; (chart id, the body so far: patterns and legend, the legend's height)."""
    _check(series, items)
    chart_id = chart_id or _chart_id(title, prefix)
    legend, legend_height = _legend(chart_id, series, PAD)
    return chart_id, [_defs(chart_id, series), legend], legend_height


def _svg(chart_id: str, title: str, description: str, height: float, body: str) -> SafeString:
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {ceil(height)}" width="{WIDTH}" height="{ceil(height)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f"font-family=\"system-ui, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif\" "
        f'fill="#1a1a1a">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )
    # Every piece of text above went through escape(); the rest is our own markup.
    return mark_safe(markup)  # noqa: S308


def _row_summary(label: str, series: Sequence[Series], values: Sequence[int | float]) -> str:
    total = sum(values)
    if total <= 0:
        return _("%(label)s: chưa có số liệu.") % {"label": label}
    shares = percentages(values)
    parts = "; ".join(_value_text(s, v, p) for s, v, p in zip(series, values, shares, strict=True))
    return _("%(label)s: tổng %(total)s — %(parts)s.") % {
        "label": label,
        "total": format_count(total),
        "parts": parts,
    }


def _check(series: Sequence[Series], items: Sequence[Row | Column]) -> None:
    if not series:
        raise ValueError("a chart needs at least one series")
    for item in items:
        if len(item.values) != len(series):
            raise ValueError(
                f"{item.label!r} has {len(item.values)} values for {len(series)} series"
            )
        if any(v < 0 for v in item.values):
            raise ValueError(f"{item.label!r} has a negative value")


def stacked_bar_chart(
    *,
    title: str,
    series: Sequence[Series],
    rows: Sequence[Row],
    description: str = "",
    chart_id: str = "",
) -> SafeString:
    """Horizontal 100%-stacked bars, one per row: each series' share of the row's total.

    Each bar is drawn under its label, with every series' count and percentage written below
    it; a row whose total is zero gets an empty outlined bar and "no data".
    """
    chart_id, body, legend_height = _begin(title, series, rows, chart_id, "bar")
    inner = WIDTH - 2 * PAD
    y = PAD + legend_height + 8
    summaries = []
    for row in rows:
        total = sum(row.values)
        summaries.append(_row_summary(row.label, series, row.values))
        total_text = _("Tổng %(total)s") % {"total": format_count(total)}
        # Bold glyphs run wider than the estimate; leave room for the total on the right.
        label = _fit(row.label, inner - _text_width(total_text, SMALL) - 40, round(FONT * 1.1))
        body.append(f"<g><title>{escape(summaries[-1])}</title>")
        body.append(_text(PAD, y + FONT, label, font_weight="600"))
        body.append(_text(WIDTH - PAD, y + FONT, total_text, size=SMALL, anchor="end"))
        bar_top = y + FONT + 6
        bar_height = 24
        if total <= 0:
            body.append(
                f'<rect x="{PAD}" y="{bar_top:.1f}" width="{inner}" height="{bar_height}" '
                f'fill="#fff" stroke="#767676" stroke-dasharray="4 3"/>'
            )
            body.append(
                _text(
                    PAD + inner / 2,
                    bar_top + 17,
                    _("Chưa có số liệu"),
                    size=SMALL,
                    anchor="middle",
                )
            )
            lines = []
        else:
            shares = percentages(row.values)
            x = float(PAD)
            for i, (s, value, share) in enumerate(zip(series, row.values, shares, strict=True)):
                width = inner * value / total
                if width <= 0:
                    continue
                body.append(_bar(x, bar_top, width, bar_height, _fill(chart_id, s, i)))
                text = _percent(share)
                if width >= _text_width(text, SMALL) + 8:
                    body.append(_halo_text(x + width / 2, bar_top + 17, text))
                x += width
            lines = _wrap(
                [_value_text(s, v, p) for s, v, p in zip(series, row.values, shares, strict=True)],
                inner,
                SMALL,
            )
        text_y = bar_top + bar_height + SMALL + 4
        for line in lines:
            body.append(_text(PAD, text_y, line, size=SMALL))
            text_y += SMALL + 4
        body.append("</g>")
        y = text_y + 8
    if not rows:
        body.append(_text(PAD, y + FONT, _("Chưa có số liệu"), size=FONT))
        summaries.append(_("Chưa có số liệu."))
        y += FONT + 12
    desc = " ".join([description, *summaries]).strip()
    return _svg(chart_id, title, desc, y + PAD, "".join(body))


def _nice_max(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 2–5 round ticks above the largest value."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** floor(log10(value))
    for factor in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= 1 and value / step <= 5:
            return ceil(value / step) * step, step
    return ceil(value), max(ceil(value / 5), 1)  # pragma: no cover


def column_chart(
    *,
    title: str,
    series: Sequence[Series],
    columns: Sequence[Column],
    description: str = "",
    mode: str = "stacked",
    chart_id: str = "",
) -> SafeString:
    """Vertical columns of counts, one group per column label (a month).

    `mode="stacked"` piles the series in one column with the total on top; `"grouped"` puts
    one bar per series side by side, each with its count on top. Counts are written inside
    the stacked segments that are tall enough, with their percentage of the column when there
    is room; the description gives every count and percentage.
    """
    if mode not in ("stacked", "grouped"):
        raise ValueError(f"mode must be 'stacked' or 'grouped', not {mode!r}")
    chart_id, body, legend_height = _begin(title, series, columns, chart_id, "col")
    axis_width = 48
    left = PAD + axis_width
    right = WIDTH - PAD
    top = PAD + legend_height + 18
    plot_height = 220
    bottom = top + plot_height
    slot = (right - left) / max(len(columns), 1)
    if mode == "stacked":
        largest = max((sum(c.values) for c in columns), default=0)
    else:
        largest = max((max(c.values) for c in columns), default=0)
    axis_max, step = _nice_max(largest)

    def y_of(value: float) -> float:
        return bottom - plot_height * value / axis_max

    tick = 0.0
    while tick <= axis_max + 1e-9:
        ty = y_of(tick)
        line_style = 'stroke="#000"' if tick == 0 else 'stroke="#c8c8c8" stroke-dasharray="3 3"'
        body.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{right}" y2="{ty:.1f}" {line_style} '
            f'stroke-width="1"/>'
        )
        body.append(_text(left - 6, ty + 4, format_count(tick), size=SMALL, anchor="end"))
        tick += step

    label_room = max(_text_width(c.label, SMALL) for c in columns) if columns else 0
    rotate = label_room > slot - 4
    summaries = []
    for index, column in enumerate(columns):
        name = column.long_label or column.label
        summaries.append(_row_summary(name, series, column.values))
        x0 = left + index * slot
        body.append(f"<g><title>{escape(summaries[-1])}</title>")
        total = sum(column.values)
        shares = percentages(column.values)
        if mode == "stacked":
            bar_width = min(slot * 0.7, 64)
            bx = x0 + (slot - bar_width) / 2
            running = 0.0
            for i, (s, value, share) in enumerate(zip(series, column.values, shares, strict=True)):
                if value <= 0:
                    continue
                y_top, y_bottom = y_of(running + value), y_of(running)
                height = y_bottom - y_top
                body.append(_bar(bx, y_top, bar_width, height, _fill(chart_id, s, i)))
                count = format_count(value)
                if height >= 2 * SMALL + 8 and bar_width >= _text_width(_percent(share), SMALL):
                    body.append(_halo_text(bx + bar_width / 2, y_top + height / 2 - 1, count))
                    body.append(
                        _halo_text(bx + bar_width / 2, y_top + height / 2 + SMALL, _percent(share))
                    )
                elif height >= SMALL + 4 and bar_width >= _text_width(count, SMALL):
                    body.append(_halo_text(bx + bar_width / 2, y_top + height / 2 + 4, count))
                running += value
            body.append(
                _text(
                    bx + bar_width / 2,
                    y_of(total) - 4,
                    format_count(total),
                    size=SMALL,
                    anchor="middle",
                    font_weight="600",
                )
            )
        else:
            group_width = slot * 0.8
            bar_width = group_width / len(series)
            for i, (s, value) in enumerate(zip(series, column.values, strict=True)):
                bx = x0 + (slot - group_width) / 2 + i * bar_width
                if value > 0:
                    y_top = y_of(value)
                    body.append(_bar(bx, y_top, bar_width, bottom - y_top, _fill(chart_id, s, i)))
                body.append(
                    _text(
                        bx + bar_width / 2,
                        y_of(value) - 3,
                        format_count(value),
                        size=10 if bar_width < 20 else SMALL,
                        anchor="middle",
                    )
                )
        cx = x0 + slot / 2
        if rotate:
            body.append(
                _text(
                    cx,
                    bottom + 14,
                    column.label,
                    size=SMALL,
                    anchor="end",
                    transform=f"rotate(-40 {cx:.1f} {bottom + 14:.1f})",
                )
            )
        else:
            body.append(_text(cx, bottom + 16, column.label, size=SMALL, anchor="middle"))
        body.append("</g>")
    height = bottom + (label_room * 0.66 + 20 if rotate else 24) + PAD
    if not columns:
        body.append(
            _text((left + right) / 2, top + plot_height / 2, _("Chưa có số liệu"), anchor="middle")
        )
        summaries.append(_("Chưa có số liệu."))
    desc = " ".join([description, *summaries]).strip()
    return _svg(chart_id, title, desc, height, "".join(body))


@dataclass(frozen=True)
class IndexBar:
    """One satisfaction index: a share (0–1) with its 95% interval, over n answers.

    share, low and high are None when n is 0 (no data).
    """

    label: str
    n: int
    share: float | None
    low: float | None
    high: float | None


def _index_text(bar: IndexBar) -> str:
    if bar.share is None:
        return _("%(label)s: chưa có số liệu.") % {"label": bar.label}
    return _(
        "%(label)s: %(share)s hài lòng trên %(n)s câu trả lời, khoảng tin cậy 95%% "
        "từ %(low)s đến %(high)s."
    ) % {
        "label": bar.label,
        "share": format_percent(bar.share * 100),
        "n": format_count(bar.n),
        "low": format_percent(bar.low * 100),
        "high": format_percent(bar.high * 100),
    }


def index_chart(
    *,
    title: str,
    bars: Sequence[IndexBar],
    target: float | None = None,
    description: str = "",
    chart_id: str = "",
) -> SafeString:
    """Horizontal bars of satisfaction shares on a 0–100% axis, each with its 95% interval
    drawn as a black whisker, and the target as a dashed vertical line.

    Each bar is drawn under its label with the share and n written beside it. The bars are
    pale grey with a black outline and the whiskers and target are black, so the chart reads
    the same printed in black and white; the description gives every number.
    """
    if target is not None and not 0 <= target <= 1:
        raise ValueError(f"target must lie between 0 and 1, got {target!r}")
    for bar in bars:
        if bar.n < 0:
            raise ValueError(f"{bar.label!r} has a negative n")
    chart_id = chart_id or _chart_id(title, "idx")
    value_room = 150
    left = PAD
    right = WIDTH - PAD - value_room
    span = right - left
    body: list[str] = []
    summaries: list[str] = []
    y = float(PAD)
    if target is not None:
        target_text = _("Mục tiêu %(target)s") % {"target": format_percent(target * 100)}
        body.append(
            f'<line x1="{PAD}" y1="{y + 8:.1f}" x2="{PAD + 24}" y2="{y + 8:.1f}" stroke="#000" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
        )
        body.append(_text(PAD + 30, y + 12, target_text, size=SMALL))
        summaries.append(target_text + ".")
    whisker_note = _("Vạch đen: khoảng tin cậy 95%")
    body.append(_text(WIDTH - PAD, y + 12, whisker_note, size=SMALL, anchor="end"))
    y += 28
    plot_top = y
    for bar in bars:
        summaries.append(_index_text(bar))
        body.append(f"<g><title>{escape(summaries[-1])}</title>")
        body.append(_text(PAD, y + FONT, _fit(bar.label, WIDTH - 2 * PAD, FONT), font_weight="600"))
        top = y + FONT + 6
        height = 22
        if bar.share is None:
            body.append(
                f'<rect x="{left}" y="{top:.1f}" width="{span}" height="{height}" '
                f'fill="#fff" stroke="#767676" stroke-dasharray="4 3"/>'
            )
            body.append(
                _text(left + span / 2, top + 16, _("Chưa có số liệu"), size=SMALL, anchor="middle")
            )
        else:
            body.append(
                f'<rect x="{left}" y="{top:.1f}" width="{span}" height="{height}" '
                f'fill="#fff" stroke="#c8c8c8"/>'
            )
            if bar.share > 0:
                body.append(_bar(left, top, span * bar.share, height, "#c8c8c8"))
            mid = top + height / 2
            x_low, x_high = left + span * bar.low, left + span * bar.high
            body.append(
                f'<path d="M{x_low:.1f},{mid:.1f} H{x_high:.1f} M{x_low:.1f},{mid - 7:.1f} '
                f'V{mid + 7:.1f} M{x_high:.1f},{mid - 7:.1f} V{mid + 7:.1f}" stroke="#000" '
                f'stroke-width="2" fill="none"/>'
            )
            body.append(
                f'<circle cx="{left + span * bar.share:.1f}" cy="{mid:.1f}" r="4" fill="#000"/>'
            )
            value = _("%(share)s · n = %(n)s") % {
                "share": format_percent(bar.share * 100),
                "n": format_count(bar.n),
            }
            body.append(_text(right + 8, top + 16, value, size=SMALL, font_weight="600"))
        body.append("</g>")
        y = top + height + 10
    if not bars:
        body.append(_text(PAD, y + FONT, _("Chưa có số liệu"), size=FONT))
        summaries.append(_("Chưa có số liệu."))
        y += FONT + 12
    if target is not None and bars:
        tx = left + span * target
        body.append(
            f'<line x1="{tx:.1f}" y1="{plot_top:.1f}" x2="{tx:.1f}" y2="{y:.1f}" stroke="#000" '
            f'stroke-width="2" stroke-dasharray="6 3"/>'
        )
    # The 0–100% axis under the bars.
    body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#000"/>')
    for tick in (0, 25, 50, 75, 100):
        tx = left + span * tick / 100
        body.append(
            f'<line x1="{tx:.1f}" y1="{y:.1f}" x2="{tx:.1f}" y2="{y + 5:.1f}" stroke="#000"/>'
        )
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        body.append(_text(tx, y + 18, _percent(tick), size=SMALL, anchor=anchor))
    y += 24
    desc = " ".join([description, *summaries]).strip()
    return _svg(chart_id, title, desc, y + PAD, "".join(body))
