"""SMS part counting and Vietnamese without diacritics (thanthien.notify.sms)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thanthien.notify.sms import is_gsm, sms_cost, sms_parts, sms_units, strip_diacritics

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
VIETNAMESE = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + "0123456789 .,:;!?-/()\n"
vietnamese_text = st.text(alphabet=VIETNAMESE, max_size=400)


@pytest.mark.parametrize(
    ("length", "parts"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_gsm_text_is_160_in_one_part_and_153_per_part_when_split(length, parts):
    assert sms_parts("a" * length) == parts


@pytest.mark.parametrize(
    ("length", "parts"), [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)]
)
def test_text_with_diacritics_is_70_in_one_part_and_67_per_part_when_split(length, parts):
    assert sms_parts("ệ" * length) == parts


def test_empty_text_is_zero_parts_and_costs_nothing(settings):
    settings.THANTHIEN_SMS_COST_PER_PART = 800
    assert sms_parts("") == 0
    assert sms_cost("") == 0


def test_extension_characters_and_form_feed_count_twice():
    assert sms_units("{}") == 4
    assert sms_units("€\f") == 4
    assert sms_parts("a" * 158 + "€") == 1  # 160 septets
    assert sms_parts("a" * 159 + "€") == 2  # 161 septets


def test_escape_pair_is_never_cut_between_two_parts():
    # 152 plain + "[" (2 septets) cannot fit in the first 153-septet part.
    text = "a" * 152 + "[" + "a" * 152
    assert sms_units(text) == 306
    assert sms_parts(text) == 3


def test_emoji_is_two_utf16_units_and_forces_ucs2():
    assert sms_units("😀") == 2
    assert not is_gsm("ok 😀")
    assert sms_parts("😀" * 35) == 1  # 70 units
    assert sms_parts("😀" * 35 + "a") == 2
    assert sms_parts("a" * 66 + "😀" + "a" * 66) == 3  # the pair moves whole into part 2


def test_cost_is_parts_times_the_price_per_part(settings):
    settings.THANTHIEN_SMS_COST_PER_PART = 800
    assert sms_cost("a" * 161) == 1600


def test_strip_diacritics_makes_vietnamese_plain():
    assert strip_diacritics("Đường Nguyễn Thị Minh Khai") == "Duong Nguyen Thi Minh Khai"
    assert strip_diacritics("ỨNG HÒA, đã tiếp nhận — 😀") == "UNG HOA, da tiep nhan — 😀"
    assert strip_diacritics("Hẹn trả: 16/06/2025") == "Hen tra: 16/06/2025"


@given(vietnamese_text)
def test_stripped_vietnamese_is_gsm_and_costs_no_more(text):
    plain = strip_diacritics(text)
    assert is_gsm(plain)
    assert len(plain) == len(text)
    assert sms_parts(plain) <= sms_parts(text)


@given(vietnamese_text, st.text(alphabet=VIETNAMESE + "😀€{", min_size=1, max_size=5))
def test_parts_never_fall_when_the_text_grows_in_the_same_charset(text, more):
    if is_gsm(text) == is_gsm(text + more):
        assert sms_parts(text + more) >= sms_parts(text)


@given(st.text(max_size=300))
def test_parts_match_the_published_formula_for_plain_characters(text):
    units = sms_units(text)
    single, multi = (160, 153) if is_gsm(text) else (70, 67)
    if not text:
        assert sms_parts(text) == 0
    elif units <= single:
        assert sms_parts(text) == 1
    else:
        assert sms_parts(text) >= -(-units // multi)
        assert sms_parts(text) <= -(-units // (multi - 1))
