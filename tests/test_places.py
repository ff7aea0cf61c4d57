"""Places: the official divisions, the hamlet import and the hamlet staff pages."""

import io
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from vietnam_provinces import Province as VnProvince
from vietnam_provinces import Ward as VnWard

from tests.factories import CommuneFactory, HamletFactory
from tests.uploads import xlsx_upload
from thanthien.people.roles import Role
from thanthien.places.models import Commune, Hamlet, Province
from thanthien.places.services import divisions_load, hamlets_import

# --- official divisions ----------------------------------------------------------------


@pytest.fixture
def divisions(db):
    return divisions_load()


def test_load_divisions_loads_every_official_unit_with_codes_and_types(divisions):
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert (divisions.provinces, divisions.communes) == (34, 3321)
    assert divisions.created == 34 + 3321
    package_types = Counter(w.division_type.name.lower() for w in VnWard.iter_all())
    db_types = Counter(Commune.objects.values_list("division_type", flat=True))
    assert db_types == package_types
    assert set(db_types) == {"xa", "phuong", "dac_khu"}

    kien_minh = Commune.objects.select_related("province").get(code=11725)
    assert kien_minh.name == "Xã Kiến Minh"
    assert kien_minh.slug == "xa-kien-minh"
    assert kien_minh.search_name == "xa kien minh"
    assert kien_minh.division_type == Commune.DivisionType.XA
    assert kien_minh.province.slug == "hai-phong"
    assert kien_minh.province.code == 31
    assert Province.objects.get(code=1).slug == "ha-noi"


def test_clashing_commune_names_all_get_the_province_suffix_and_slugs_are_unique(divisions):
    slugs = list(Commune.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs) == 3321
    tan_tien = Commune.objects.filter(name="Xã Tân Tiến").select_related("province")
    assert tan_tien.count() > 1
    for commune in tan_tien:
        assert commune.slug.startswith(f"xa-tan-tien-{commune.province.slug}")
    assert Commune.objects.filter(slug="xa-tan-tien-hung-yen").exists()
    assert not Commune.objects.filter(slug="xa-tan-tien").exists()
    # Names that differ only by diacritics in one province fall back to the official code.
    assert Commune.objects.get(code=29938).slug == "xa-tan-thanh-dong-thap-29938"
    assert Commune.objects.get(code=30157).slug == "xa-tan-thanh-dong-thap-30157"


def test_second_load_of_divisions_changes_nothing(divisions, django_assert_max_num_queries):
    last_update = Commune.objects.aggregate(m=Max("updated_at"))["m"]
    with django_assert_max_num_queries(10):
        again = divisions_load()
    assert (again.created, again.updated) == (0, 0)
    assert Commune.objects.count() == 3321
    assert Province.objects.count() == 34
    assert Commune.objects.aggregate(m=Max("updated_at"))["m"] == last_update


def test_reloading_divisions_corrects_a_renamed_commune(divisions):
    Commune.objects.filter(code=11725).update(
        name="Xã Sai Tên", slug="xa-sai-ten", search_name="xa sai ten"
    )
    Province.objects.filter(code=31).update(name="Hải Phòng cũ")
    report = divisions_load()
    assert (report.created, report.updated) == (0, 2)
    kien_minh = Commune.objects.get(code=11725)
    assert (kien_minh.name, kien_minh.slug, kien_minh.search_name) == (
        "Xã Kiến Minh",
        "xa-kien-minh",
        "xa kien minh",
    )
    assert Province.objects.get(code=31).name == next(
        p.name for p in VnProvince.iter_all() if int(p.code) == 31
    )


def test_load_divisions_command_prints_the_summary(db):
    out = io.StringIO()
    call_command("load_divisions", stdout=out)
    assert "34 tỉnh, 3321 xã/phường/đặc khu: 3355 thêm mới, 0 cập nhật" in out.getvalue()
    out = io.StringIO()
    call_command("load_divisions", stdout=out)
    assert "0 thêm mới, 0 cập nhật" in out.getvalue()


# --- hamlet import ---------------------------------------------------------------------


def csv_upload(text, name="thon.csv", bom=True):
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"))


def run_import(commune, upload, user):
    upload.seek(0)
    return hamlets_import(commune=commune, file=upload, filename=upload.name, user=user)


MIXED_ROWS = [
    ["Tên thôn", "Loại", "Trưởng thôn", "Số hộ"],
    ["Thôn Đông", "Thôn", "Nguyễn Văn An", 120],
    ["Tổ dân phố 3", "to dan pho", "Trần Thị Bình", 85.0],
    [None, "Thôn", "Lê Văn Cường", 40],
    ["Thôn Tây", "Làng", "", 30],
    ["Thôn Nam", "Thôn", "", -5],
    ["Thôn Bắc", "Thôn", "", "12,5"],
    ["thôn đông", "Xóm", "", 10],
    [None, None, None, None],
    ["Xóm Trại", "XOM", "Phạm Văn Dũng", "1.200"],
    ["Ấp Mới", None, None, None],
]


def test_xlsx_import_keeps_good_rows_and_reports_each_bad_row_with_its_number(commune_a, admin_a):
    report = run_import(commune_a, xlsx_upload(MIXED_ROWS), admin_a)

    assert report.file_error == ""
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    reasons = {e.row: e.reason for e in report.errors}
    assert sorted(reasons) == [4, 5, 6, 7, 8]
    assert "Thiếu tên thôn" in reasons[4]
    assert "Loại “Làng” không hợp lệ" in reasons[5]
    assert "Số hộ “-5” phải là số nguyên không âm" in reasons[6]
    assert "Số hộ “12,5” phải là số nguyên không âm" in reasons[7]
    assert "trùng với dòng 2" in reasons[8]

    hamlets = {h.name: h for h in Hamlet.objects.filter(commune=commune_a)}
    assert set(hamlets) == {"Thôn Đông", "Tổ dân phố 3", "Xóm Trại", "Ấp Mới"}
    assert hamlets["Thôn Đông"].head_name == "Nguyễn Văn An"
    assert hamlets["Thôn Đông"].household_count == 120
    assert hamlets["Tổ dân phố 3"].kind == Hamlet.Kind.TO_DAN_PHO
    assert hamlets["Tổ dân phố 3"].household_count == 85
    assert hamlets["Xóm Trại"].kind == Hamlet.Kind.XOM
    assert hamlets["Xóm Trại"].household_count == 1200
    # An empty type is read from the name; an empty count is 0.
    assert hamlets["Ấp Mới"].kind == Hamlet.Kind.AP
    assert hamlets["Ấp Mới"].household_count == 0
    # New hamlets keep the file's order.
    ordered = list(Hamlet.objects.filter(commune=commune_a).values_list("name", flat=True))
    assert ordered == ["Thôn Đông", "Tổ dân phố 3", "Xóm Trại", "Ấp Mới"]


def test_csv_import_with_bom_semicolons_and_headers_without_diacritics(commune_a, admin_a):
    upload = csv_upload(
        "Ten thon;Loai;Truong thon;So ho\n"
        "Thôn 1;thon;Hoàng Văn Em;55\n"
        "Thôn 2;Khu phố;;abc\n"
        ";Thôn;;3\n"
        "Thôn 3;khu_pho;Đỗ Thị Gấm;\n"
    )
    report = run_import(commune_a, upload, admin_a)

    assert report.file_error == ""
    assert report.created == 2
    assert [(e.row, e.reason) for e in report.errors] == [
        (3, "Số hộ “abc” phải là số nguyên không âm."),
        (4, "Thiếu tên thôn."),
    ]
    thon_3 = Hamlet.objects.get(commune=commune_a, name="Thôn 3")
    assert thon_3.kind == Hamlet.Kind.KHU_PHO
    assert thon_3.head_name == "Đỗ Thị Gấm"


def test_csv_import_with_english_headers_commas_and_no_bom(commune_a, admin_a):
    upload = csv_upload(
        'Name,Type,Head,Households\n"Residential Group 5",to_dan_pho,"Vũ, Văn Hải",1200\n',
        bom=False,
    )
    report = run_import(commune_a, upload, admin_a)
    assert (report.created, report.errors, report.file_error) == (1, [], "")
    hamlet = Hamlet.objects.get(commune=commune_a)
    assert (hamlet.name, hamlet.kind, hamlet.head_name, hamlet.household_count) == (
        "Residential Group 5",
        Hamlet.Kind.TO_DAN_PHO,
        "Vũ, Văn Hải",
        1200,
    )


def test_importing_the_same_file_twice_changes_nothing(commune_a, admin_a):
    upload = xlsx_upload(MIXED_ROWS)
    run_import(commune_a, upload, admin_a)
    before = list(Hamlet.objects.values_list("pk", "name", "updated_at"))

    again = run_import(commune_a, upload, admin_a)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert len(again.errors) == 5
    assert list(Hamlet.objects.values_list("pk", "name", "updated_at")) == before


def test_import_updates_a_hamlet_of_the_same_name_and_leaves_other_communes_alone(
    commune_a, commune_b, admin_a
):
    existing = HamletFactory(commune=commune_a, name="Thôn Đông", household_count=1)
    other = HamletFactory(commune=commune_b, name="Thôn Đông", household_count=1)
    report = run_import(commune_a, xlsx_upload([["Tên thôn", "Số hộ"], ["THÔN ĐÔNG", 99]]), admin_a)
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    other.refresh_from_db()
    assert (existing.name, existing.household_count) == ("THÔN ĐÔNG", 99)
    assert other.household_count == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("thon.xlsx", b"this is not a spreadsheet"), "Không đọc được tệp Excel"),
        (SimpleUploadedFile("thon.xlsx", b"PK\x03\x04broken zip"), "Không đọc được tệp Excel"),
        (SimpleUploadedFile("thon.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), ".xls"),
        (SimpleUploadedFile("thon.csv", b"T\xean th\xf4n\nTh\xf4n 1\n"), "UTF-8"),
        (SimpleUploadedFile("thon.pdf", b"%PDF-1.4"), "Chỉ nhận tệp"),
        (SimpleUploadedFile("thon.csv", b""), "Tệp rỗng"),
        (csv_upload("Loại,Số hộ\nThôn,3\n"), "Không tìm thấy cột “Tên thôn”"),
        (csv_upload("Tên thôn,Số hộ\n\n"), "không có dòng dữ liệu"),
    ],
)
def test_an_unusable_file_gives_one_file_error_and_changes_nothing(
    commune_a, admin_a, upload, message
):
    HamletFactory(commune=commune_a, name="Thôn Cũ")
    report = run_import(commune_a, upload, admin_a)
    assert message in report.file_error
    assert (report.created, report.updated, report.errors) == (0, 0, [])
    assert list(Hamlet.objects.values_list("name", flat=True)) == ["Thôn Cũ"]


def test_only_a_user_who_may_add_hamlets_to_that_commune_can_import(
    commune_a, commune_b, admin_a, make_user
):
    upload = xlsx_upload([["Tên thôn"], ["Thôn 1"]])
    official = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    with pytest.raises(PermissionDenied):
        run_import(commune_a, upload, official)
    with pytest.raises(PermissionDenied):
        run_import(commune_b, upload, admin_a)
    assert not Hamlet.objects.exists()


# --- staff pages -----------------------------------------------------------------------


def test_hamlet_list_shows_only_the_users_commune_with_the_household_total(
    client, commune_a, commune_b, admin_a
):
    HamletFactory(commune=commune_a, name="Thôn Của An", household_count=100)
    HamletFactory(commune=commune_a, name="Tổ Của An", household_count=50)
    HamletFactory(commune=commune_b, name="Thôn Của Bình", household_count=70)
    client.force_login(admin_a)

    response = client.get(reverse("staff:hamlet_list"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Thôn Của An" in body
    assert "Tổ Của An" in body
    assert "Thôn Của Bình" not in body
    assert response.context["totals"] == {"hamlets": 2, "households": 150}
    assert response.context["with_commune"] is False
    assert reverse("staff:hamlet_import") in body


def test_hamlet_list_search_ignores_diacritics_and_case(client, commune_a, admin_a):
    HamletFactory(commune=commune_a, name="Thôn Đồng Xuân", head_name="Lý Văn Phúc")
    HamletFactory(commune=commune_a, name="Thôn Bãi Sậy", head_name="Mai Thị Hồng")
    client.force_login(admin_a)

    by_name = client.get(reverse("staff:hamlet_list"), {"q": "DONG xuan"})
    by_head = client.get(reverse("staff:hamlet_list"), {"q": "thị hồng"})

    assert [h.name for h in by_name.context["page"]] == ["Thôn Đồng Xuân"]
    assert [h.name for h in by_head.context["page"]] == ["Thôn Bãi Sậy"]


def test_province_user_sees_the_hamlets_of_their_province_with_a_commune_column(
    client, province_p, commune_a, commune_b, make_user
):
    sibling = CommuneFactory(name="Xã Láng Giềng", province=province_p)
    HamletFactory(commune=commune_a, name="Thôn Của An")
    HamletFactory(commune=sibling, name="Thôn Láng Giềng")
    HamletFactory(commune=commune_b, name="Thôn Của Bình")
    client.force_login(make_user(Role.PROVINCE_EVALUATOR, province=province_p))

    response = client.get(reverse("staff:hamlet_list"))

    body = response.content.decode()
    assert response.context["with_commune"] is True
    assert "Xã Láng Giềng" in body
    assert "Thôn Của An" in body
    assert "Thôn Láng Giềng" in body
    assert "Thôn Của Bình" not in body
    # Province roles may not add hamlets: commune administrators import their own lists.
    assert reverse("staff:hamlet_import") not in body
    assert client.get(reverse("staff:hamlet_import")).status_code == 403


def test_hamlet_list_query_count_does_not_grow_with_the_hamlets(
    client, commune_a, admin_a, django_assert_max_num_queries
):
    client.force_login(admin_a)
    url = reverse("staff:hamlet_list")
    HamletFactory.create_batch(3, commune=commune_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    HamletFactory.create_batch(27, commune=commune_a)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["totals"]["hamlets"] == 30
    assert len(many) == len(few)
    # The diacritics-free search reads the names once: one more query, not one per hamlet.
    with django_assert_max_num_queries(len(few) + 1):
        client.get(url, {"q": "thon"})


def test_import_page_creates_hamlets_and_shows_the_row_errors(client, commune_a, admin_a):
    client.force_login(admin_a)
    url = reverse("staff:hamlet_import")
    assert client.get(url).status_code == 200

    response = client.post(url, {"file": xlsx_upload(MIXED_ROWS)})

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, len(report.errors)) == (4, 5)
    body = response.content.decode()
    assert "Thêm mới: 4" in body
    assert "<td>5</td><td>Loại “Làng” không hợp lệ" in body
    assert Hamlet.objects.filter(commune=commune_a).count() == 4
    # Every imported hamlet is audited with the official who imported it.
    created = LogEntry.objects.filter(
        content_type__model="hamlet", action=LogEntry.Action.CREATE, actor=admin_a
    )
    assert created.count() == 4


def test_import_page_shows_a_file_error(client, commune_a, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("staff:hamlet_import"), {"file": SimpleUploadedFile("thon.xlsx", b"garbage")}
    )
    assert "Không đọc được tệp Excel" in response.content.decode()
    assert not Hamlet.objects.exists()


def test_import_page_refuses_other_file_types_in_the_form(client, commune_a, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("staff:hamlet_import"), {"file": SimpleUploadedFile("thon.docx", b"x")}
    )
    assert response.context["report"] is None
    assert response.context["form"].errors["file"]


def test_commune_official_gets_403_on_the_import_page_but_may_read_the_list(
    client, commune_a, make_user
):
    client.force_login(make_user(Role.COMMUNE_OFFICIAL, commune=commune_a))
    assert client.get(reverse("staff:hamlet_import")).status_code == 403
    upload = xlsx_upload([["Tên thôn"], ["Thôn 1"]])
    assert client.post(reverse("staff:hamlet_import"), {"file": upload}).status_code == 403
    assert not Hamlet.objects.exists()
    response = client.get(reverse("staff:hamlet_list"))
    assert response.status_code == 200
    assert reverse("staff:hamlet_import") not in response.content.decode()


def test_hamlet_pages_need_a_signed_in_user(client, db):
    for name in ("hamlet_list", "hamlet_import", "hamlet_template", "hamlet_export"):
        response = client.get(reverse(f"staff:{name}"))
        assert response.status_code == 302
        assert reverse("staff:login") in response["Location"]


def test_template_download_is_an_xlsx_with_the_header_row(client, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("staff:hamlet_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Tên thôn", "Loại", "Trưởng thôn", "Số hộ"]
    assert sheet.max_row == 1


def test_export_lists_the_communes_hamlets_and_imports_back_unchanged(
    client, commune_a, commune_b, admin_a
):
    HamletFactory(commune=commune_a, name="Thôn Đông", kind=Hamlet.Kind.XOM, household_count=7)
    HamletFactory(commune=commune_a, name="=1+1", household_count=3)
    HamletFactory(commune=commune_b, name="Thôn Của Bình")
    client.force_login(admin_a)

    response = client.get(reverse("staff:hamlet_export"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Tên thôn", "Loại", "Trưởng thôn", "Số hộ"]
    assert sorted(r[0] for r in rows[1:]) == ["=1+1", "Thôn Đông"]
    assert ["Thôn Đông", "Xóm"] in [r[:2] for r in rows]

    upload = SimpleUploadedFile("xuat.xlsx", response.content)
    report = run_import(commune_a, upload, admin_a)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])
