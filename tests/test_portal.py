"""The public portal: find a commune, its home, directory, reception, conduct, channels, QR."""

import re
import unicodedata
from datetime import date, datetime, time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CommuneFactory,
    CommuneProfileFactory,
    ConductItemFactory,
    OfficeFactory,
    OfficialFactory,
    PositionFactory,
    ReceptionSlotFactory,
)
from thanthien.core.models import WorkdayOverride
from thanthien.core.qr import qr_svg
from thanthien.portal import selectors
from thanthien.portal.models import ConductItem, ReceptionSlot
from thanthien.portal.services import conduct_items_setup

pytestmark = pytest.mark.django_db

COMMUNE_PAGES = [
    "portal:commune_home",
    "portal:officials",
    "portal:reception",
    "portal:conduct",
    "portal:conduct_poster",
    "portal:channels",
    "portal:qr_poster",
]


def url(name: str, commune) -> str:
    return reverse(name, kwargs={"slug": commune.slug})


def page(client, name: str, commune) -> str:
    response = client.get(url(name, commune))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def chairman_position():
    return PositionFactory(code="chu-tich-ubnd", name="Chủ tịch UBND", is_leadership=True, rank=10)


@pytest.fixture
def vice_position():
    return PositionFactory(
        code="pho-chu-tich-ubnd", name="Phó Chủ tịch UBND", is_leadership=True, rank=20
    )


@pytest.fixture
def clerk_position():
    return PositionFactory(
        code="cong-chuc-tu-phap", name="Công chức Tư pháp – Hộ tịch", is_leadership=False, rank=100
    )


@pytest.fixture
def kien_minh(db):
    return CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")


@pytest.fixture
def staffed_commune(kien_minh, chairman_position, vice_position, clerk_position):
    """A commune with two leaders, two offices and a clerk whose phone is not published."""
    justice = OfficeFactory(commune=kien_minh, name="Bộ phận Tư pháp", order=20)
    front_office = OfficeFactory(commune=kien_minh, name="Văn phòng HĐND–UBND", order=10)
    chairman = OfficialFactory(
        commune=kien_minh,
        full_name="Nguyễn Văn Chủ",
        position=chairman_position,
        office=front_office,
        phone="0912000001",
        email="chutich@example.vn",
    )
    OfficialFactory(
        commune=kien_minh,
        full_name="Trần Thị Phó",
        position=vice_position,
        office=front_office,
        phone="0912000002",
    )
    OfficialFactory(
        commune=kien_minh,
        full_name="Lê Văn Kín",
        position=clerk_position,
        office=justice,
        phone="0987654321",
        phone_published=False,
    )
    OfficialFactory(
        commune=kien_minh,
        full_name="Phạm Thị Văn Phòng",
        position=clerk_position,
        office=front_office,
        phone="0912000004",
    )
    OfficialFactory(
        commune=kien_minh,
        full_name="Đỗ Văn Nghỉ Hưu",
        position=clerk_position,
        office=justice,
        is_active=False,
    )
    CommuneProfileFactory(
        commune=kien_minh,
        address="Thôn Đông, xã Kiến Minh",
        hotline="0225.123.456",
        feedback_email="gopy@kienminh.example.vn",
        reception_place="Phòng tiếp công dân, tầng 1 trụ sở UBND",
    )
    ReceptionSlotFactory(commune=kien_minh, host=chairman, weekday=ReceptionSlot.Weekday.THURSDAY)
    return kien_minh


# --- Every page ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", COMMUNE_PAGES)
def test_every_commune_page_answers_with_the_commune_name(client, staffed_commune, name):
    html = page(client, name, staffed_commune)
    assert "Xã Kiến Minh" in html
    assert 'lang="vi"' in html


@pytest.mark.parametrize("name", COMMUNE_PAGES)
def test_commune_page_without_profile_or_officials_still_answers(client, name):
    commune = CommuneFactory()
    assert commune.name in page(client, name, commune)


@pytest.mark.parametrize("name", [*COMMUNE_PAGES, "portal:commune_qr_svg"])
def test_unknown_commune_is_404(client, name):
    response = client.get(reverse(name, kwargs={"slug": "khong-co-xa-nay"}))
    assert response.status_code == 404


class _ResourceCollector(HTMLParser):
    """The addresses a browser would fetch on its own: link href, script src, img src."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source") and attrs.get("src"):
            self.urls.append(attrs["src"])


@pytest.mark.parametrize("name", [*COMMUNE_PAGES, "portal:find_commune"])
def test_pages_load_nothing_from_other_hosts(client, staffed_commune, name):
    target = reverse(name) if name == "portal:find_commune" else url(name, staffed_commune)
    html = client.get(target, {"q": "kien"} if name == "portal:find_commune" else {}).content
    collector = _ResourceCollector()
    collector.feed(html.decode())
    assert collector.urls, "the stylesheet at least"
    for address in collector.urls:
        parts = urlsplit(address)
        assert parts.scheme in ("", "data"), address
        assert parts.netloc in ("", "testserver"), address
    assert "<script" not in html.decode()


def test_home_page_has_contacts_leaders_next_reception_and_links(client, staffed_commune):
    html = page(client, "portal:commune_home", staffed_commune)
    assert staffed_commune.province.name in html
    assert "Thôn Đông, xã Kiến Minh" in html
    assert 'href="tel:0225123456"' in html
    assert "Nguyễn Văn Chủ" in html and "Trần Thị Phó" in html
    assert 'href="tel:0912000001"' in html
    assert "Phạm Thị Văn Phòng" not in html, "the home page lists only the leadership"
    assert "Thứ Năm" in html
    officials_url = url("portal:officials", staffed_commune)
    reception_url = url("portal:reception", staffed_commune)
    assert f'<a href="{officials_url}">Danh bạ cán bộ</a>' in html
    assert f'<a href="{reception_url}">Lịch tiếp công dân</a>' in html
    for name in ("portal:conduct", "portal:channels", "portal:qr_poster"):
        assert f'href="{url(name, staffed_commune)}"' in html


def test_home_page_links_to_the_directory_and_reception_only_once(client, staffed_commune):
    """A browser test clicks these by their exact text: two matches would be ambiguous."""
    html = page(client, "portal:commune_home", staffed_commune)
    assert len(re.findall(r">\s*Danh bạ cán bộ\s*<", html)) == 1
    assert len(re.findall(r"(?i)lịch tiếp công dân\s*</a>", html)) == 1


def test_next_reception_is_today_until_the_slot_ends_then_next_week(staffed_commune):
    slots = selectors.reception_schedule(staffed_commune)
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    thursday_morning = datetime(2025, 6, 12, 8, 0, tzinfo=tz)
    thursday_noon = datetime(2025, 6, 12, 12, 0, tzinfo=tz)
    monday = datetime(2025, 6, 9, 9, 0, tzinfo=tz)
    assert selectors.next_reception(slots, now=thursday_morning).date.isoformat() == "2025-06-12"
    assert selectors.next_reception(slots, now=thursday_noon).date.isoformat() == "2025-06-19"
    assert selectors.next_reception(slots, now=monday).date.isoformat() == "2025-06-12"
    assert selectors.next_reception([], now=monday) is None


# --- Find a commune -----------------------------------------------------------------------


def test_find_commune_ignores_accents(client, kien_minh):
    response = client.get(reverse("portal:find_commune"), {"q": "kien minh"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xã Kiến Minh" in html
    assert f'href="{kien_minh.get_absolute_url()}"' in html


def test_find_commune_limits_results_and_says_how_many_more(client):
    commune = CommuneFactory(name="Xã Hòa Bình 0")
    for n in range(1, 53):
        CommuneFactory(name=f"Xã Hòa Bình {n}", province=commune.province)
    html = client.get(reverse("portal:find_commune"), {"q": "hoa binh"}).content.decode()
    assert html.count('class="result-name"') == 50
    assert "Tìm thấy 53 xã, phường" in html
    assert "Còn 3 xã, phường khác" in html


def test_find_commune_filters_by_province(client, commune_a, commune_b):
    html = client.get(
        reverse("portal:find_commune"), {"province": commune_b.province_id}
    ).content.decode()
    assert "Xã Bình" in html and "Xã An" not in html


def test_find_commune_says_when_nothing_matches(client, kien_minh):
    html = client.get(reverse("portal:find_commune"), {"q": "zzz"}).content.decode()
    assert "Không tìm thấy" in html


# --- Officials directory (T4) -------------------------------------------------------------


def test_directory_lists_leadership_first_then_offices_in_order(client, staffed_commune):
    html = page(client, "portal:officials", staffed_commune)
    order = [
        html.index(text)
        for text in (
            ">Lãnh đạo</h2>",
            "Nguyễn Văn Chủ",
            "Trần Thị Phó",
            ">Văn phòng HĐND–UBND</h2>",
            "Phạm Thị Văn Phòng",
            ">Bộ phận Tư pháp</h2>",
            "Lê Văn Kín",
        )
    ]
    assert order == sorted(order)


def test_directory_publishes_only_published_phones(client, staffed_commune):
    html = page(client, "portal:officials", staffed_commune)
    assert 'href="tel:0912000001"' in html
    assert "Lê Văn Kín" in html
    assert "0987654321" not in html
    assert "987654321" not in html


def test_directory_shows_email_as_mailto_and_hides_inactive(client, staffed_commune):
    html = page(client, "portal:officials", staffed_commune)
    assert 'href="mailto:chutich@example.vn"' in html
    assert "Đỗ Văn Nghỉ Hưu" not in html


def test_directory_shows_no_other_communes_officials(client, staffed_commune, chairman_position):
    OfficialFactory(full_name="Cán Bộ Xã Khác", position=chairman_position)
    assert "Cán Bộ Xã Khác" not in page(client, "portal:officials", staffed_commune)


def test_directory_photo_has_alt_text(client, kien_minh, clerk_position):
    OfficialFactory(
        commune=kien_minh, full_name="Hoàng Ảnh", position=clerk_position, photo="officials/a.jpg"
    )
    html = page(client, "portal:officials", kien_minh)
    assert re.search(r'<img[^>]+src="/media/officials/a.jpg"[^>]+alt="Ảnh Hoàng Ảnh"', html)


def _queries(client, target) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["portal:officials", "portal:commune_home"])
def test_page_queries_do_not_grow_with_officials(
    client, kien_minh, chairman_position, vice_position, clerk_position, name
):
    CommuneProfileFactory(commune=kien_minh)
    offices = [OfficeFactory(commune=kien_minh, order=n) for n in range(5)]
    positions = [chairman_position, vice_position, clerk_position]

    def add(count: int, start: int):
        for n in range(start, start + count):
            official = OfficialFactory(
                commune=kien_minh, position=positions[n % 3], office=offices[n % 5]
            )
            ReceptionSlotFactory(commune=kien_minh, host=official, weekday=n % 7)

    add(3, 0)
    target = url(name, kien_minh)
    small = _queries(client, target)
    add(27, 3)
    large = _queries(client, target)
    assert small == large
    assert large <= 4


# --- Reception schedule (T5, R1) ----------------------------------------------------------


def test_reception_page_shows_weekday_time_host_place_and_default_rules(client, staffed_commune):
    html = page(client, "portal:reception", staffed_commune)
    assert "Thứ Năm" in html
    assert "07:30–11:00" in html
    assert "Nguyễn Văn Chủ" in html and "Chủ tịch UBND" in html
    assert "Phòng tiếp công dân, tầng 1 trụ sở UBND" in html
    assert "Luật Tiếp công dân năm 2013" in html


def test_reception_page_shows_the_communes_own_rules(client, staffed_commune):
    profile = staffed_commune.profile
    profile.reception_rules = "Đến đúng giờ.\n\nGiữ trật tự nơi tiếp công dân.\n"
    profile.save()
    html = page(client, "portal:reception", staffed_commune)
    assert "<li>Đến đúng giờ.</li>" in html
    assert "<li>Giữ trật tự nơi tiếp công dân.</li>" in html
    assert "Luật Tiếp công dân năm 2013" not in html


def test_reception_page_hides_inactive_slots(client, staffed_commune):
    host = OfficialFactory(commune=staffed_commune, full_name="Người Tiếp Cũ")
    ReceptionSlotFactory(
        commune=staffed_commune, host=host, weekday=ReceptionSlot.Weekday.MONDAY, is_active=False
    )
    html = page(client, "portal:reception", staffed_commune)
    assert "Người Tiếp Cũ" not in html
    assert "Thứ Hai" not in html


# --- Code of conduct (C1, P2) -------------------------------------------------------------


def test_conduct_page_shows_defaults_in_order_when_commune_has_none(client, kien_minh):
    html = page(client, "portal:conduct", kien_minh)
    positions = [html.index(text) for text in ("4 xin", "4 luôn", "5 không")]
    assert positions == sorted(positions)
    for text in ("Xin chào", "Xin phép", "Luôn mỉm cười", "Luôn giúp đỡ"):
        assert text in html
    assert "Không lợi dụng chức vụ, quyền hạn trong thực thi công vụ" in html


def test_conduct_page_shows_the_communes_own_items_in_group_order(client, kien_minh):
    ConductItemFactory(commune=kien_minh, group=ConductItem.Group.KHONG, text="Không hút thuốc")
    ConductItemFactory(commune=kien_minh, group=ConductItem.Group.XIN, text="Xin mời ngồi")
    ConductItemFactory(commune=kien_minh, group=ConductItem.Group.LUON, text="Luôn đúng giờ")
    html = page(client, "portal:conduct", kien_minh)
    positions = [html.index(text) for text in ("Xin mời ngồi", "Luôn đúng giờ", "Không hút thuốc")]
    assert positions == sorted(positions)
    assert "Luôn mỉm cười" not in html


def test_conduct_defaults_have_4_4_5_lines_with_english():
    defaults = selectors.conduct_defaults()
    assert [len(defaults[g]) for g in ("xin", "luon", "khong")] == [4, 4, 5]
    assert all(line.text_en for lines in defaults.values() for line in lines)


def test_conduct_items_setup_copies_defaults_once(kien_minh):
    assert conduct_items_setup(commune=kien_minh) == 13
    assert conduct_items_setup(commune=kien_minh) == 0
    items = ConductItem.objects.filter(commune=kien_minh)
    assert items.count() == 13
    assert items.filter(group="xin", order=1).get().text == "Xin chào"
    assert items.filter(group="khong").count() == 5


def test_conduct_items_setup_keeps_the_administrators_wording(kien_minh):
    ConductItemFactory(commune=kien_minh, group=ConductItem.Group.XIN, text="Xin mời")
    assert conduct_items_setup(commune=kien_minh) == 9
    assert list(
        ConductItem.objects.filter(commune=kien_minh, group="xin").values_list("text", flat=True)
    ) == ["Xin mời"]


def test_conduct_poster_is_a4_print_page_with_commune_name(client, kien_minh, settings):
    html = page(client, "portal:conduct_poster", kien_minh)
    assert "css/print.css" in html
    assert "Xã Kiến Minh" in html and "Xin chào" in html
    css = (Path(settings.BASE_DIR) / "thanthien/static/css/print.css").read_text()
    assert "size: A4 portrait" in css


# --- Feedback channels (T2) ---------------------------------------------------------------


def test_channels_show_only_what_the_commune_filled_in(client, kien_minh):
    CommuneProfileFactory(
        commune=kien_minh,
        hotline="0225123456",
        feedback_email="gopy@example.vn",
        zalo_url="",
        facebook_url="https://www.facebook.com/xakienminh",
        suggestion_box_location="",
    )
    html = page(client, "portal:channels", kien_minh)
    assert 'href="tel:0225123456"' in html
    assert 'href="mailto:gopy@example.vn"' in html
    assert 'href="https://www.facebook.com/xakienminh"' in html
    assert "Zalo" not in html
    assert "Hòm thư góp ý" not in html
    assert f'href="{url("portal:reception", kien_minh)}"' in html


def test_channels_show_zalo_and_the_suggestion_box(client, kien_minh):
    CommuneProfileFactory(
        commune=kien_minh,
        hotline="",
        feedback_email="",
        zalo_url="https://zalo.me/123456789",
        suggestion_box_location="Sảnh Trung tâm Phục vụ hành chính công",
    )
    html = page(client, "portal:channels", kien_minh)
    assert 'href="https://zalo.me/123456789"' in html
    assert "Sảnh Trung tâm Phục vụ hành chính công" in html
    assert "tel:" not in html and "mailto:" not in html


# --- QR poster ----------------------------------------------------------------------------


def test_qr_poster_embeds_svg_and_prints_the_commune_url(client, kien_minh):
    html = page(client, "portal:qr_poster", kien_minh)
    assert "<svg" in html and "<title>" in html
    assert "http://testserver/xa-kien-minh/" in html
    assert f'href="{url("portal:commune_qr_svg", kien_minh)}"' in html


def test_qr_uses_the_public_base_url_when_set(client, kien_minh, settings):
    settings.THANTHIEN_PUBLIC_BASE_URL = "https://thanthien.example.vn/"
    html = page(client, "portal:qr_poster", kien_minh)
    assert "https://thanthien.example.vn/xa-kien-minh/" in html


def test_qr_svg_endpoint_serves_an_svg_file(client, kien_minh):
    response = client.get(url("portal:commune_qr_svg", kien_minh))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert "<svg" in body and 'xmlns="http://www.w3.org/2000/svg"' in body


def test_qr_svg_escapes_its_title():
    svg = qr_svg("https://example.vn/?a=1&b=2", title='<script>"x"</script>')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.startswith("<svg")
    assert 'role="img"' in svg


def test_reception_time_is_shown_as_hours_and_minutes(client, kien_minh):
    host = OfficialFactory(commune=kien_minh)
    ReceptionSlotFactory(
        commune=kien_minh,
        host=host,
        weekday=ReceptionSlot.Weekday.TUESDAY,
        start_time=time(13, 30),
        end_time=time(17, 0),
    )
    html = page(client, "portal:reception", kien_minh)
    assert "Thứ Ba" in html and "13:30–17:00" in html


def test_next_reception_skips_a_public_holiday_and_a_declared_day_off(staffed_commune):
    slots = list(selectors.reception_schedule(staffed_commune))  # the chairman, on Thursdays
    # Thursday 30/04/2026 is Reunification Day: the next reception is Thursday 07/05.
    before_holiday = datetime(2026, 4, 28, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert selectors.next_reception(slots, now=before_holiday).date.isoformat() == "2026-05-07"
    # An administrator declares Thursday 07/05 a day off: the reception moves a week on.
    WorkdayOverride.objects.create(date=date(2026, 5, 7), is_working_day=False, reason="Thử")
    assert selectors.next_reception(slots, now=before_holiday).date.isoformat() == "2026-05-14"


def test_unknown_page_shows_a_friendly_vietnamese_404(client, db):
    response = client.get("/xa-khong-co-that/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_admin_action_copies_the_default_conduct_code_once(client, make_user, kien_minh):
    from thanthien.people.roles import Role

    profile = CommuneProfileFactory(commune=kien_minh)
    client.force_login(make_user(Role.COMMUNE_ADMIN, commune=kien_minh))
    changelist = reverse("admin:portal_communeprofile_changelist")
    form = {"action": "copy_default_conduct_code", "_selected_action": [profile.pk]}
    assert client.post(changelist, form).status_code == 302
    count = ConductItem.objects.filter(commune=kien_minh).count()
    assert count == 13
    client.post(changelist, form)
    assert ConductItem.objects.filter(commune=kien_minh).count() == count


def test_language_switch_names_the_other_language_in_itself(client, db):
    page = client.get(reverse("portal:find_commune")).content.decode()
    assert re.search(r'lang="en">\s*English\s*</button>', page)
    client.cookies["django_language"] = "en"
    page = unicodedata.normalize("NFC", client.get(reverse("portal:find_commune")).content.decode())
    assert re.search(r'lang="vi">\s*Tiếng Việt\s*</button>', page)


@pytest.mark.django_db
def test_reception_page_shows_slots_of_a_commune_without_a_profile(client, commune_a):
    from tests.factories import ReceptionSlotFactory

    ReceptionSlotFactory(commune=commune_a, place="Phòng tiếp dân")
    page = client.get(reverse("portal:reception", args=[commune_a.slug]))
    assert page.status_code == 200 and "Phòng tiếp dân" in page.content.decode()
