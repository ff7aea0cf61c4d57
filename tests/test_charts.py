"""Server-side SVG charts (thanthien.core.charts): valid, accessible, honest with numbers."""

import xml.etree.ElementTree as ET

import pytest

from thanthien.core.charts import (
    STYLES,
    Column,
    Row,
    Series,
    column_chart,
    percentages,
    stacked_bar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [Series("Trước hạn"), Series("Đúng hạn"), Series("Quá hạn")]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 — our own output, not untrusted input
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_percentages_add_up_to_a_hundred_and_survive_a_zero_total():
    assert percentages([1, 1, 1]) == [34, 33, 33]
    assert percentages([5, 3, 2]) == [50, 30, 20]
    assert sum(percentages([7, 13, 29, 1])) == 100
    assert percentages([0, 0, 0]) == [0, 0, 0]
    assert percentages([]) == []


def test_stacked_bar_chart_is_valid_accessible_svg_with_numbers_and_percentages():
    svg = stacked_bar_chart(
        title="Tỷ lệ theo thủ tục",
        description="Hồ sơ quý I.",
        series=SERIES,
        rows=[Row("Đăng ký khai sinh", [5, 3, 2]), Row("Chứng thực", [1, 0, 3])],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, "Tỷ lệ theo thủ tục")
    assert desc.get("id") == desc_id
    assert desc.text.startswith("Hồ sơ quý I.")
    assert "Đăng ký khai sinh: tổng 10 — Trước hạn 5 (50%)" in desc.text
    assert "Quá hạn 3 (75%)" in desc.text
    shown = " ".join(texts(root))
    for expected in ("Đăng ký khai sinh", "Trước hạn 5 (50%)", "Đúng hạn 3 (30%)", "Tổng 10"):
        assert expected in shown
    assert "Quá hạn 2 (20%)" in shown
    assert "<script" not in svg and "onclick" not in svg


def test_series_differ_by_pattern_so_they_print_in_black_and_white():
    svg = stacked_bar_chart(title="T", series=SERIES, rows=[Row("A", [1, 1, 1])])
    root = parse(svg)
    patterns = root.findall(f".//{SVG}pattern")
    assert len(patterns) == 2  # the dark solid series needs none
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect") if rect.get("height") == "24"}
    assert len(fills) == 3
    # Neighbouring styles differ a lot in lightness (dark, light, mid).
    lightness = [sum(int(s.fill[i : i + 2], 16) for i in (1, 3, 5)) / 3 for s in STYLES[:3]]
    assert lightness[0] < 100 < 180 < lightness[1]
    assert STYLES[2].pattern and not STYLES[0].pattern


def test_zero_totals_and_no_rows_are_drawn_as_no_data():
    svg = stacked_bar_chart(title="T", series=SERIES, rows=[Row("Trống", [0, 0, 0])])
    root = parse(svg)
    assert "Chưa có số liệu" in texts(root)
    assert "Trống: chưa có số liệu." in root.find(f"{SVG}desc").text
    assert "NaN" not in svg
    empty = parse(stacked_bar_chart(title="T", series=SERIES, rows=[]))
    assert "Chưa có số liệu" in texts(empty)
    columns = parse(column_chart(title="C", series=SERIES, columns=[Column("01/25", [0, 0, 0])]))
    assert "0" in texts(columns)
    assert "NaN" not in ET.tostring(columns, encoding="unicode")
    assert "Chưa có số liệu" in texts(parse(column_chart(title="C", series=SERIES, columns=[])))


def test_every_label_is_escaped():
    nasty = '<script>alert("x")</script> & Co'
    svg = stacked_bar_chart(
        title=nasty,
        description=nasty,
        series=[Series(nasty), *SERIES[1:]],
        rows=[Row(nasty, [1, 2, 3])],
    )
    root = parse(svg)
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == nasty
    assert nasty in texts(root)
    col = column_chart(
        title=nasty, series=SERIES, columns=[Column(nasty, [1, 2, 3], long_label=nasty)]
    )
    assert "<script>" not in col
    assert nasty in parse(col).find(f"{SVG}desc").text


def test_stacked_column_chart_writes_counts_totals_and_percentages():
    svg = column_chart(
        title="Theo tháng",
        series=SERIES,
        columns=[
            Column("01/25", [40, 30, 30], long_label="Tháng 01/2025"),
            Column("02/25", [2, 0, 1], long_label="Tháng 02/2025"),
        ],
    )
    root = parse(svg)
    shown = texts(root)
    assert {"01/25", "02/25", "100", "40", "40%", "30%", "3"} <= set(shown)
    desc = root.find(f"{SVG}desc").text
    january = "Tháng 01/2025: tổng 100 — Trước hạn 40 (40%); Đúng hạn 30 (30%); Quá hạn 30 (30%)."
    assert january in desc
    assert "Tháng 02/2025: tổng 3 — Trước hạn 2 (67%); Đúng hạn 0 (0%); Quá hạn 1 (33%)." in desc


def test_grouped_column_chart_puts_each_count_on_its_bar():
    svg = column_chart(
        title="Đánh giá",
        series=[Series("Hài lòng"), Series("Không hài lòng")],
        columns=[Column("T1", [12, 3]), Column("T2", [7, 0])],
        mode="grouped",
    )
    shown = texts(parse(svg))
    assert {"12", "3", "7", "0", "T1", "T2"} <= set(shown)


def test_thousands_are_grouped_the_vietnamese_way():
    svg = stacked_bar_chart(title="T", series=SERIES, rows=[Row("A", [1234, 0, 0])])
    assert "Trước hạn 1.234 (100%)" in " ".join(texts(parse(svg)))


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        stacked_bar_chart(title="T", series=SERIES, rows=[Row("A", [1, 2])])
    with pytest.raises(ValueError):
        stacked_bar_chart(title="T", series=SERIES, rows=[Row("A", [1, -2, 3])])
    with pytest.raises(ValueError):
        column_chart(title="T", series=SERIES, columns=[], mode="pie")
    with pytest.raises(ValueError):
        stacked_bar_chart(title="T", series=[], rows=[])


def test_two_charts_on_one_page_do_not_share_ids():
    first = parse(stacked_bar_chart(title="Một", series=SERIES, rows=[Row("A", [1, 1, 1])]))
    second = parse(stacked_bar_chart(title="Hai", series=SERIES, rows=[Row("A", [1, 1, 1])]))
    ids = lambda root: {el.get("id") for el in root.iter() if el.get("id")}  # noqa: E731
    assert not ids(first) & ids(second)
