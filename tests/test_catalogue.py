"""The procedure catalogue: import/export, the starter catalogue, public and staff pages."""

import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories_onestop import (
    ProcedureFactory,
    ProcedureFieldFactory,
    RequiredDocumentFactory,
)
from tests.uploads import csv_upload, xlsx_upload
from thanthien.onestop.catalogue import (
    STARTER_CATALOGUE_PATH,
    procedures_catalogue_setup,
    procedures_import,
)
from thanthien.onestop.catalogue_io import headers
from thanthien.onestop.models import Procedure, RequiredDocument
from thanthien.onestop.reference_data import read_fields
from thanthien.people.roles import Role

HEADER = headers()
DOCS = "Tờ khai đăng ký khai sinh | 1 | bản chính\nGiấy chứng sinh | 1 | bản chính | xuất trình"


def row(code="1.001193", name="Đăng ký khai sinh", field="Hộ tịch", days=0, fee=0, **extra):
    values = {
        "fee_note": "",
        "documents": DOCS,
        "steps": "Nộp hồ sơ\nNhận kết quả",
        "legal_basis": "Luật Hộ tịch 2014",
        "result": "Giấy khai sinh",
        "online": "Trực tuyến toàn trình",
        "postal": "có",
        "url": "https://dichvucong.gov.vn/p/home/x.html?ma_thu_tuc=1.001193",
        "active": "",
        **extra,
    }
    return [code, name, field, days, fee, *values.values()]


MIXED_ROWS = [
    HEADER,
    row(),
    row("2.000815", "Chứng thực bản sao từ bản chính", "chung thuc", 0, None, fee_note="2.000 đ"),
    row("", "Không có mã"),
    row("1.000894", "Đăng ký kết hôn", "Thiên văn"),
    row("1.000656", "Đăng ký khai tử", "Hộ tịch", "ba ngày"),
    row("1.004873", "Xác nhận tình trạng hôn nhân", "ho-tich", 3, "mười nghìn"),
    row("1.001193", "Trùng mã"),
    row("1.004837", "Đăng ký giám hộ", documents="Tờ khai | 1 | bản nháp"),
    row("1.004845", "Chấm dứt giám hộ", postal="thỉnh thoảng", url="không phải url"),
    row("1.001022", "Đăng ký nhận cha, mẹ, con", "HO TICH", "3", "50.000 đ", online="mot phan"),
]


def run_import(commune, upload, user):
    upload.seek(0)
    return procedures_import(commune=commune, file=upload, filename=upload.name, user=user)


@pytest.fixture
def official_a(make_user, commune_a):
    return make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)


def assert_mixed_report(report):
    assert report.file_error == ""
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    reasons = {e.row: e.reason for e in report.errors}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "Thiếu mã thủ tục" in reasons[4]
    assert "Không có lĩnh vực “Thiên văn”" in reasons[5]
    assert "Thời hạn “ba ngày”" in reasons[6]
    assert "Phí “mười nghìn”" in reasons[7]
    assert "trùng với dòng 2" in reasons[8]
    assert "bản nháp" in reasons[9]
    assert "bưu chính" in reasons[10] and "không phải địa chỉ web" in reasons[10]


def test_xlsx_import_keeps_good_rows_and_reports_bad_rows_with_numbers(commune_a, admin_a):
    report = run_import(commune_a, xlsx_upload(MIXED_ROWS), admin_a)

    assert_mixed_report(report)
    birth = Procedure.objects.get(commune=commune_a, code="1.001193")
    assert birth.field.code == "ho-tich"
    assert birth.search_name == "dang ky khai sinh"
    assert birth.fee_amount == 0
    assert birth.online_level == Procedure.OnlineLevel.FULL
    assert birth.postal_return is True and birth.is_active is True
    assert birth.step_lines() == ["Nộp hồ sơ", "Nhận kết quả"]
    docs = list(birth.documents.values_list("name", "copies", "original_required", "note"))
    assert docs == [
        ("Tờ khai đăng ký khai sinh", 1, True, ""),
        ("Giấy chứng sinh", 1, True, "xuất trình"),
    ]
    copy = Procedure.objects.get(code="2.000815")
    assert (copy.field.code, copy.fee_amount, copy.fee_note) == ("chung-thuc", None, "2.000 đ")
    parent = Procedure.objects.get(code="1.001022")
    assert (parent.processing_days, parent.fee_amount) == (3, 50000)
    assert parent.online_level == Procedure.OnlineLevel.PARTIAL


def test_csv_import_reports_the_same_rows(commune_a, admin_a):
    report = run_import(commune_a, csv_upload(MIXED_ROWS), admin_a)
    assert_mixed_report(report)
    assert Procedure.objects.get(code="1.001193").documents.count() == 2


def test_importing_the_same_file_twice_changes_nothing(commune_a, admin_a):
    upload = xlsx_upload(MIXED_ROWS)
    run_import(commune_a, upload, admin_a)
    doc_pks = set(RequiredDocument.objects.values_list("pk", flat=True))
    entries = LogEntry.objects.count()

    again = run_import(commune_a, upload, admin_a)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert set(RequiredDocument.objects.values_list("pk", flat=True)) == doc_pks
    assert LogEntry.objects.count() == entries


def test_reimport_replaces_documents_only_of_the_procedure_that_changed(commune_a, admin_a):
    run_import(commune_a, xlsx_upload([HEADER, row(), row("1.000656", "Đăng ký khai tử")]), admin_a)
    death_docs = set(Procedure.objects.get(code="1.000656").documents.values_list("pk", flat=True))

    changed = [HEADER, row(documents="Tờ khai | 2 | bản sao"), row("1.000656", "Đăng ký khai tử")]
    report = run_import(commune_a, xlsx_upload(changed), admin_a)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    birth = Procedure.objects.get(code="1.001193")
    assert list(birth.documents.values_list("name", "copies", "original_required")) == [
        ("Tờ khai", 2, False)
    ]
    after = set(Procedure.objects.get(code="1.000656").documents.values_list("pk", flat=True))
    assert after == death_docs


def test_an_unusable_file_gives_one_file_error(commune_a, admin_a):
    report = run_import(commune_a, SimpleUploadedFile("x.xlsx", b"garbage"), admin_a)
    assert report.file_error and not Procedure.objects.exists()
    report = run_import(commune_a, xlsx_upload([["Ai", "Gì"], ["a", "b"]]), admin_a)
    assert "Mã thủ tục" in report.file_error


def test_only_a_user_who_may_add_procedures_to_that_commune_can_import(
    commune_a, commune_b, admin_a, official_a
):
    upload = xlsx_upload([HEADER, row()])
    with pytest.raises(PermissionDenied):
        run_import(commune_a, upload, official_a)
    with pytest.raises(PermissionDenied):
        run_import(commune_b, upload, admin_a)
    assert not Procedure.objects.exists()


def test_import_leaves_other_communes_alone(commune_a, commune_b, admin_a):
    theirs = ProcedureFactory(commune=commune_b, code="1.001193", name="Của xã Bình")
    run_import(commune_a, xlsx_upload([HEADER, row()]), admin_a)
    theirs.refresh_from_db()
    assert theirs.name == "Của xã Bình"
    assert Procedure.objects.filter(code="1.001193").count() == 2


# --- export ----------------------------------------------------------------------------


def make_catalogue(commune):
    birth = ProcedureFactory(
        commune=commune,
        code="1.001193",
        name="Đăng ký khai sinh",
        fee_amount=0,
        processing_days=0,
        steps="Nộp hồ sơ\nNhận kết quả",
        legal_basis="Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP",
        result_document="Giấy khai sinh",
        online_level=Procedure.OnlineLevel.FULL,
        postal_return=True,
        source_url="https://dichvucong.gov.vn/p/home/x.html?ma_thu_tuc=1.001193",
    )
    RequiredDocumentFactory(procedure=birth, name="Tờ khai", original_required=True, order=1)
    RequiredDocumentFactory(procedure=birth, name="Giấy chứng sinh", copies=2, note="x", order=2)
    copy_field = ProcedureFieldFactory(code="chung-thuc", name="Chứng thực")
    ProcedureFactory(
        commune=commune,
        code="2.000815",
        name="=Chứng thực bản sao",
        field=copy_field,
        fee_amount=None,
        fee_note="2.000 đ/trang",
        is_active=False,
    )
    ProcedureFactory(commune=commune, code="2.000884", name="Chứng thực chữ ký", fee_amount=10000)
    return birth


def snapshot(commune):
    return [
        (
            p.code,
            p.name,
            p.field_id,
            p.processing_days,
            p.fee_amount,
            p.fee_note,
            p.step_lines(),
            p.legal_basis_lines(),
            p.result_document,
            p.online_level,
            p.postal_return,
            p.source_url,
            p.is_active,
            [(d.name, d.copies, d.original_required, d.note) for d in p.documents.all()],
        )
        for p in Procedure.objects.filter(commune=commune).order_by("code")
    ]


@pytest.mark.parametrize(("name", "filename"), [("xlsx", "xuat.xlsx"), ("csv", "xuat.csv")])
def test_export_imports_back_unchanged(client, commune_a, commune_b, admin_a, name, filename):
    make_catalogue(commune_a)
    ProcedureFactory(commune=commune_b, name="Thủ tục của xã Bình")
    before = snapshot(commune_a)
    client.force_login(admin_a)

    response = client.get(reverse(f"staff:procedure_export_{name}"))

    assert response.status_code == 200
    assert "Thủ tục của xã Bình".encode() not in response.content
    report = run_import(commune_a, SimpleUploadedFile(filename, response.content), admin_a)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 3, [])
    assert snapshot(commune_a) == before


def test_export_into_an_empty_commune_recreates_the_catalogue(client, commune_a, province_p):
    from tests.factories import CommuneFactory, UserFactory

    other = CommuneFactory(province=province_p)
    make_catalogue(commune_a)
    admin = UserFactory(role=Role.COMMUNE_ADMIN, commune=commune_a)
    client.force_login(admin)
    content = client.get(reverse("staff:procedure_export_xlsx")).content
    other_admin = UserFactory(role=Role.COMMUNE_ADMIN, commune=other)
    report = run_import(other, SimpleUploadedFile("x.xlsx", content), other_admin)
    assert report.created == 3
    assert [s[1:] for s in snapshot(other)] == [s[1:] for s in snapshot(commune_a)]


def test_template_is_an_xlsx_with_header_and_one_example_that_imports(client, commune_a, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("staff:procedure_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 2
    report = run_import(commune_a, SimpleUploadedFile("mau.xlsx", response.content), admin_a)
    assert (report.created, report.errors) == (1, [])


# --- staff pages -----------------------------------------------------------------------


def test_import_page_saves_rows_shows_errors_and_audits_with_the_user(client, commune_a, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("staff:procedure_import"), {"file": xlsx_upload(MIXED_ROWS)}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thêm mới: 3" in body
    assert "Thiếu mã thủ tục" in body
    for procedure in Procedure.objects.filter(commune=commune_a):
        entry = LogEntry.objects.get_for_object(procedure).get()
        assert entry.action == LogEntry.Action.CREATE
        assert entry.actor == admin_a
        assert entry.additional_data == {"commune_id": commune_a.pk}
    doc = RequiredDocument.objects.first()
    assert LogEntry.objects.get_for_object(doc).get().actor == admin_a


def test_official_gets_403_on_import_but_reads_the_list(client, commune_a, official_a):
    ProcedureFactory(commune=commune_a, name="Đăng ký khai sinh")
    client.force_login(official_a)
    assert client.get(reverse("staff:procedure_import")).status_code == 403
    upload = xlsx_upload([HEADER, row()])
    assert client.post(reverse("staff:procedure_import"), {"file": upload}).status_code == 403
    response = client.get(reverse("staff:procedure_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng ký khai sinh" in body
    assert reverse("staff:procedure_import") not in body
    assert reverse("staff:procedure_list") in body  # the staff menu link


def test_staff_list_search_filter_and_commune_scope(client, commune_a, commune_b, admin_a):
    ProcedureFactory(commune=commune_a, name="Đăng ký khai sinh")
    copy_field = ProcedureFieldFactory(code="chung-thuc", name="Chứng thực")
    ProcedureFactory(commune=commune_a, name="Chứng thực chữ ký", field=copy_field)
    ProcedureFactory(commune=commune_b, name="Đăng ký khai sinh ở xã Bình")
    client.force_login(admin_a)
    body = client.get(reverse("staff:procedure_list"), {"q": "KHAI SINH"}).content.decode()
    assert "Đăng ký khai sinh" in body and "xã Bình" not in body
    assert "Chứng thực chữ ký" not in body
    body = client.get(reverse("staff:procedure_list"), {"field": "chung-thuc"}).content.decode()
    assert "Chứng thực chữ ký" in body and "Đăng ký khai sinh" not in body


def test_catalogue_staff_pages_need_a_signed_in_user(client, db):
    for name in (
        "procedure_list",
        "procedure_import",
        "procedure_template",
        "procedure_export_xlsx",
        "procedure_export_csv",
    ):
        response = client.get(reverse(f"staff:{name}"))
        assert response.status_code == 302
        assert reverse("staff:login") in response["Location"]


# --- starter catalogue -----------------------------------------------------------------


def test_starter_catalogue_has_30_sourced_procedures_with_documents():
    rows = json.loads(STARTER_CATALOGUE_PATH.read_text(encoding="utf-8"))
    field_codes = {f["code"] for f in read_fields()}
    assert len(rows) >= 30
    assert len({r["code"] for r in rows}) == len(rows)
    for r in rows:
        assert r["code"] and r["name"], r
        assert r["field"] in field_codes, r["code"]
        assert isinstance(r["processing_days"], int) and r["processing_days"] >= 0, r["code"]
        assert r["source_url"].startswith("https://dichvucong.gov.vn/"), r["code"]
        assert r["documents"] and all(d["name"] for d in r["documents"]), r["code"]
        assert r["online_level"] in Procedure.OnlineLevel.values, r["code"]
    names = {r["name"] for r in rows}
    assert {"Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử"} <= names


def test_catalogue_setup_is_idempotent_and_keeps_the_communes_edits(commune_a, commune_b):
    created = procedures_catalogue_setup(commune=commune_a)
    assert created >= 30
    assert Procedure.objects.filter(commune=commune_a).count() == created
    birth = Procedure.objects.get(commune=commune_a, code="1.001193")
    assert birth.fee_amount == 0 and birth.documents.exists()
    copy = Procedure.objects.get(commune=commune_a, code="2.000815")
    assert "200.000" in copy.fee_note

    birth.name = "Đăng ký khai sinh (xã sửa)"
    birth.save()
    birth.documents.first().delete()
    docs = birth.documents.count()
    Procedure.objects.get(commune=commune_a, code="2.000884").delete()

    assert procedures_catalogue_setup(commune=commune_a) == 1
    assert procedures_catalogue_setup(commune=commune_a) == 0
    birth.refresh_from_db()
    assert birth.name == "Đăng ký khai sinh (xã sửa)"
    assert birth.documents.count() == docs
    assert not Procedure.objects.filter(commune=commune_b).exists()


def test_demo_step_loads_the_catalogue(commune_a):
    from thanthien.core.demo import DEMO_STEPS, DemoContext
    from thanthien.onestop.demo import catalogue_load

    assert "thanthien.onestop.demo.catalogue_load" in DEMO_STEPS
    ctx = DemoContext(commune=commune_a)
    catalogue_load(ctx)
    catalogue_load(ctx)
    assert ctx.created["thủ tục hành chính"] == Procedure.objects.count() >= 30


# --- public pages ----------------------------------------------------------------------


def list_url(commune):
    return reverse("portal:procedure_list", kwargs={"slug": commune.slug})


@pytest.mark.parametrize("query", ["khai sinh", "KHAI SINH", "khai sính", "Đăng ký khai"])
def test_public_search_ignores_diacritics_and_case(client, commune_a, query):
    ProcedureFactory(commune=commune_a, name="Đăng ký khai sinh")
    ProcedureFactory(commune=commune_a, name="Chứng thực chữ ký")
    body = client.get(list_url(commune_a), {"q": query}).content.decode()
    assert "Đăng ký khai sinh" in body
    assert "Chứng thực chữ ký" not in body
    assert "1 thủ tục" in body


def test_public_list_filters_by_field_and_hides_inactive_and_other_communes(
    client, commune_a, commune_b
):
    ProcedureFactory(commune=commune_a, name="Đăng ký khai sinh")
    copy_field = ProcedureFieldFactory(code="chung-thuc", name="Chứng thực")
    ProcedureFactory(commune=commune_a, name="Chứng thực chữ ký", field=copy_field)
    ProcedureFactory(commune=commune_a, name="Thủ tục đã bãi bỏ", is_active=False)
    ProcedureFactory(commune=commune_b, name="Thủ tục của xã Bình")

    body = client.get(list_url(commune_a)).content.decode()
    assert "Đăng ký khai sinh" in body and "Chứng thực chữ ký" in body
    assert "Thủ tục đã bãi bỏ" not in body and "xã Bình" not in body
    assert "2 thủ tục" in body
    assert 'aria-current="page">Thủ tục hành chính' in body

    body = client.get(list_url(commune_a), {"field": "chung-thuc"}).content.decode()
    assert "Chứng thực chữ ký" in body and "Đăng ký khai sinh" not in body


def test_public_list_paginates(client, commune_a):
    ProcedureFactory.create_batch(25, commune=commune_a)
    body = client.get(list_url(commune_a)).content.decode()
    assert "25 thủ tục" in body and "Trang 1 / 2" in body
    body = client.get(list_url(commune_a), {"page": 2}).content.decode()
    assert "Trang 2 / 2" in body


def test_detail_page_shows_what_to_bring_fee_time_and_a_qr_code(client, commune_a):
    birth = make_catalogue(commune_a)
    response = client.get(birth.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đăng ký khai sinh" in body
    assert "Tờ khai" in body and "1 bản chính" in body
    assert "Giấy chứng sinh" in body and "2 bản sao" in body
    assert "Miễn phí" in body and "Trong ngày" in body
    assert "Nộp hồ sơ" in body and "Nghị định 123/2015/NĐ-CP" in body
    assert "Trực tuyến toàn trình" in body
    assert "<svg" in body and 'class="qr"' in body
    assert f"http://testserver{birth.get_absolute_url()}" in body


def test_detail_formats_money_and_days(client, commune_a):
    p = ProcedureFactory(commune=commune_a, fee_amount=1000000, processing_days=3)
    body = client.get(p.get_absolute_url()).content.decode()
    assert "1.000.000 đ" in body and "3 ngày làm việc" in body


def test_detail_of_inactive_or_other_communes_procedure_is_404(client, commune_a, commune_b):
    hidden = ProcedureFactory(commune=commune_a, is_active=False)
    theirs = ProcedureFactory(commune=commune_b)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    url = reverse("portal:procedure_detail", kwargs={"slug": commune_a.slug, "code": theirs.code})
    assert client.get(url).status_code == 404


def test_print_page_lists_active_procedures_in_a_table(client, commune_a, commune_b):
    make_catalogue(commune_a)
    ProcedureFactory(commune=commune_b, name="Thủ tục của xã Bình")
    response = client.get(reverse("portal:procedure_print", kwargs={"slug": commune_a.slug}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "css/print.css" in body and "<table" in body
    assert "Đăng ký khai sinh" in body and "Chứng thực chữ ký" in body and "10.000 đ" in body
    assert "Giấy chứng sinh" in body
    assert "=Chứng thực bản sao" not in body  # inactive
    assert "xã Bình" not in body


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx)


def test_public_pages_query_count_does_not_grow_with_procedures(client, commune_a):
    def fill(n):
        for _ in range(n):
            p = ProcedureFactory(commune=commune_a)
            RequiredDocumentFactory.create_batch(2, procedure=p)

    fill(3)
    print_url = reverse("portal:procedure_print", kwargs={"slug": commune_a.slug})
    small = count_queries(client, list_url(commune_a)), count_queries(client, print_url)
    fill(27)
    large = count_queries(client, list_url(commune_a)), count_queries(client, print_url)
    assert small == large


def test_staff_list_query_count_does_not_grow_with_procedures(client, commune_a, admin_a):
    client.force_login(admin_a)
    ProcedureFactory.create_batch(3, commune=commune_a)
    count_queries(client, reverse("staff:procedure_list"))  # warm the session and perms
    small = count_queries(client, reverse("staff:procedure_list"))
    ProcedureFactory.create_batch(27, commune=commune_a)
    assert count_queries(client, reverse("staff:procedure_list")) == small
