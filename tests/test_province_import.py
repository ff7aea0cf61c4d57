"""Dossiers from a province's one-stop system: import by code, row errors, export round trip."""

import io
from datetime import date, datetime

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.dossier_helpers import TZ
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory
from tests.uploads import csv_upload, xlsx_upload
from thanthien.core import workdays
from thanthien.notify.models import Message
from thanthien.onestop import dossier_selectors, province_import, province_import_io
from thanthien.onestop import dossier_services as services
from thanthien.onestop.models import Dossier, DossierEvent
from thanthien.onestop.province_import import IMPORT_NOTE, dossiers_import
from thanthien.onestop.province_import_io import headers, normalise_phone, parse_state, states
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db

HEADER = headers()


# The columns after the code, in the template's order, with a good row's values.
ROW_DEFAULTS = {
    "procedure": "1.001193",
    "name": "Nguyễn Văn An",
    "phone": "0912345678",
    "address": "Thôn Đông",
    "channel": "trực tiếp",
    "received": "03/03/2025 09:05",
    "due": "",
    "ready": "",
    "returned": "",
    "state": "Đang xử lý",
    "method": "",
    "original": "",
    "note": "",
}


def row(code, **values):
    assert values.keys() <= ROW_DEFAULTS.keys(), values.keys() - ROW_DEFAULTS.keys()
    return [code, *{**ROW_DEFAULTS, **values}.values()]


def run(actor, commune, upload):
    upload.seek(0)
    return dossiers_import(actor=actor, commune=commune, file=upload)


MIXED = [
    HEADER,
    row(
        "H27-0001",
        received="03/03/2025 09:05",
        ready="05/03/2025 16:20",
        returned="06/03/2025 08:15",
        state="Đã trả kết quả",
    ),
    row("H27-0002", phone="+84 987 654 321", channel="trực tuyến", state="Đang giải quyết"),
    row("H27-0003", phone="12345"),
    row("H27-0004", procedure="9.999999"),
    row("H27-0005", state="Đang bay"),
    row("H27-0006", received=""),
    row("H27-0001", name="Trùng mã"),
    row("H27-0007", state="Đã trả kết quả"),
    row("H27-0008", received="31/02/2025 09:00"),
    row("H27-0009", method="bưu chính", state="Chờ bổ sung", note="Thiếu giấy chứng sinh"),
]


def reasons_by_row(report) -> dict[int, str]:
    return {e.row: e.reason for e in report.errors}


@pytest.mark.parametrize("upload", [xlsx_upload, csv_upload])
def test_good_rows_are_kept_and_bad_rows_reported_with_number_and_reason(
    upload, commune_a, leader_a, procedure
):
    report = run(leader_a, commune_a, upload(MIXED))

    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert not report.file_error
    reasons = reasons_by_row(report)
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "Số điện thoại “12345”" in reasons[4]
    assert "Mã thủ tục “9.999999” không có trong danh mục" in reasons[5]
    assert "Trạng thái “Đang bay” không rõ" in reasons[6]
    assert "Thiếu ngày tiếp nhận" in reasons[7]
    assert "Mã hồ sơ “H27-0001” trùng với dòng 2" in reasons[8]
    assert "phải có ngày trả kết quả" in reasons[9]
    assert "Ngày tiếp nhận “31/02/2025 09:00”" in reasons[10]

    returned = Dossier.objects.get(code="H27-0001")
    assert returned.origin == Dossier.Origin.PROVINCE
    assert returned.commune == commune_a
    assert returned.created_by == leader_a
    assert returned.state == Dossier.State.RETURNED
    assert returned.received_at == datetime(2025, 3, 3, 9, 5, tzinfo=TZ)
    assert returned.result_ready_at == datetime(2025, 3, 5, 16, 20, tzinfo=TZ)
    assert returned.returned_at == returned.state_changed_at
    assert returned.processing_days == procedure.processing_days == 3
    assert returned.due_date == date(2025, 3, 6)  # three working days, from the procedure
    online = Dossier.objects.get(code="H27-0002")
    assert online.applicant_phone == "0987654321"
    assert (online.channel, online.state) == (Dossier.Channel.ONLINE, Dossier.State.IN_PROGRESS)
    waiting = Dossier.objects.get(code="H27-0009")
    assert waiting.return_method == Dossier.ReturnMethod.POST
    assert waiting.state == Dossier.State.SUPPLEMENT
    assert waiting.note == "Thiếu giấy chứng sinh"


def test_history_rows_are_recorded_for_the_control_slip(commune_a, leader_a, procedure):
    run(leader_a, commune_a, xlsx_upload(MIXED))

    events = list(
        DossierEvent.objects.filter(dossier__code="H27-0001").values_list(
            "kind", "at", "from_state", "to_state", "step_result", "actor", "note"
        )
    )
    assert events == [
        (
            "receive",
            datetime(2025, 3, 3, 9, 5, tzinfo=TZ),
            "",
            "received",
            "",
            leader_a.pk,
            IMPORT_NOTE,
        ),
        (
            "result_ready",
            datetime(2025, 3, 5, 16, 20, tzinfo=TZ),
            "received",
            "result_ready",
            "early",
            leader_a.pk,
            IMPORT_NOTE,
        ),
        (
            "return",
            datetime(2025, 3, 6, 8, 15, tzinfo=TZ),
            "result_ready",
            "returned",
            "",
            leader_a.pk,
            IMPORT_NOTE,
        ),
    ]
    assert DossierEvent.objects.filter(dossier__code="H27-0002").count() == 1
    entry = LogEntry.objects.get_for_object(Dossier.objects.get(code="H27-0001")).get()
    assert entry.actor == leader_a
    assert entry.additional_data["commune_id"] == commune_a.pk


def database_state():
    return (
        list(Dossier.objects.order_by("code").values_list("code", "updated_at", "state")),
        list(DossierEvent.objects.order_by("pk").values_list("pk", "kind", "at")),
        LogEntry.objects.count(),
    )


@pytest.mark.parametrize("upload", [xlsx_upload, csv_upload])
def test_importing_the_same_file_twice_changes_nothing(upload, commune_a, leader_a, procedure):
    file = upload(MIXED)
    run(leader_a, commune_a, file)
    before = database_state()

    report = run(leader_a, commune_a, file)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert len(report.errors) == 7
    assert database_state() == before


def test_a_changed_row_updates_the_dossier_and_its_history(commune_a, leader_a, procedure):
    first = [HEADER, row("H27-0001"), row("H27-0002")]
    run(leader_a, commune_a, csv_upload(first))
    untouched = Dossier.objects.get(code="H27-0002").updated_at
    later = [
        HEADER,
        row(
            "H27-0001",
            phone="0988 111 222",
            ready="10/03/2025 10:00",
            returned="11/03/2025 09:00",
            state="Đã trả kết quả trễ hạn",
        ),
        row("H27-0002"),
    ]

    report = run(leader_a, commune_a, csv_upload(later))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    dossier = Dossier.objects.get(code="H27-0001")
    assert dossier.state == Dossier.State.RETURNED
    assert dossier.applicant_phone == "0988111222"
    assert dossier.returned_at == datetime(2025, 3, 11, 9, 0, tzinfo=TZ)
    assert list(dossier.events.values_list("kind", flat=True)) == [
        "receive",
        "result_ready",
        "return",
    ]
    assert dossier_selectors.timeliness(dossier) == dossier_selectors.LATE
    assert Dossier.objects.get(code="H27-0002").updated_at == untouched
    update = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, object_repr="H27-0001").get()
    assert update.changes["state"] == ["in_progress", "returned"]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        (" 0912 345 678 ", "0912345678"),
        (912345678, "0912345678"),  # an Excel number cell loses the leading 0
        ("(091) 234-5678", "0912345678"),
        ("12345", None),
        ("+1 555 123 4567", None),
        ("09123456789", None),
        ("091234567a", None),
    ],
)
def test_phone_numbers_are_normalised_to_ten_digits(written, stored):
    assert normalise_phone(written) == stored


def test_phone_normalised_in_an_excel_number_cell(commune_a, leader_a, procedure):
    report = run(leader_a, commune_a, xlsx_upload([HEADER, row("H27-0001", phone=912345678)]))
    assert report.created == 1
    assert Dossier.objects.get().applicant_phone == "0912345678"


@pytest.mark.parametrize(
    ("cell", "moment"),
    [
        ("03/03/2025 09:05", datetime(2025, 3, 3, 9, 5, tzinfo=TZ)),
        ("3/3/2025 9:05:59", datetime(2025, 3, 3, 9, 5, tzinfo=TZ)),
        ("03/03/2025", datetime(2025, 3, 3, 0, 0, tzinfo=TZ)),
        ("09:05 03/03/2025", datetime(2025, 3, 3, 9, 5, tzinfo=TZ)),
        ("2025-03-03 09:05:00", datetime(2025, 3, 3, 9, 5, tzinfo=TZ)),
        (datetime(2025, 3, 3, 9, 4, 59, 999_800), datetime(2025, 3, 3, 9, 5, tzinfo=TZ)),
        (date(2025, 3, 3), datetime(2025, 3, 3, 0, 0, tzinfo=TZ)),
        (45719.378472222, datetime(2025, 3, 3, 9, 5, tzinfo=TZ)),  # an Excel serial number
        ("31/02/2025", None),
        ("03/03/25", None),
        ("hôm qua", None),
        (12, None),
    ],
)
def test_dates_are_read_in_the_documented_forms_and_excel_dates(cell, moment):
    assert province_import_io.parse_moment(cell) == moment


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Mới tiếp nhận", "received"),
        ("Chờ xử lý", "received"),
        ("Đang xử lý", "in_progress"),
        ("ĐANG GIẢI QUYẾT", "in_progress"),
        ("Đang xử lý quá hạn", "in_progress"),
        ("Chờ bổ sung", "supplement"),
        ("Yêu cầu bổ sung hồ sơ", "supplement"),
        ("Đã có kết quả", "result_ready"),
        ("Chờ trả kết quả", "result_ready"),
        ("Có kết quả, chờ trả", "result_ready"),
        ("Đã trả kết quả", "returned"),
        ("Đã trả kết quả đúng hạn", "returned"),
        ("Hồ sơ đã trả kết quả trước hạn", "returned"),
        ("da tra ket qua", "returned"),
        ("Từ chối tiếp nhận", "refused"),
        ("Không đủ điều kiện", "refused"),
        ("Công dân rút hồ sơ", "withdrawn"),
        ("Đã hủy", "withdrawn"),
        ("Returned", "returned"),
        ("in_progress", "in_progress"),
        ("Đang bay", None),
        ("Quá hạn", None),
    ],
)
def test_province_state_words_map_to_dossier_states(word, state):
    assert parse_state(word, states()) == state


def test_each_state_is_imported_with_consistent_times(commune_a, leader_a, procedure):
    rows = [
        HEADER,
        row("S-1", state="Mới tiếp nhận"),
        row("S-2", state="Từ chối tiếp nhận"),
        row("S-3", state="Công dân rút hồ sơ"),
        row("S-4", state="Đã có kết quả", ready="05/03/2025 10:00"),
        row("S-5", state="", ready="05/03/2025 10:00", returned="06/03/2025 10:00"),
        row("S-6", state="Đã trả kết quả", returned="06/03/2025 10:00"),
    ]
    report = run(leader_a, commune_a, xlsx_upload(rows))
    assert report.created == 6, report.errors
    received = datetime(2025, 3, 3, 9, 5, tzinfo=TZ)
    by_code = {d.code: d for d in Dossier.objects.all()}
    assert by_code["S-1"].state_changed_at == received
    assert by_code["S-2"].state == "refused" and by_code["S-2"].refused_at == received
    assert by_code["S-3"].state == "withdrawn" and by_code["S-3"].withdrawn_at == received
    assert by_code["S-4"].state_changed_at == datetime(2025, 3, 5, 10, 0, tzinfo=TZ)
    assert by_code["S-5"].state == "returned"  # an empty state follows the dates
    # Only the hand-over was recorded: the result was ready by then.
    assert by_code["S-6"].result_ready_at == by_code["S-6"].returned_at
    kinds = dict(
        DossierEvent.objects.filter(dossier__code__in=["S-2", "S-3"])
        .exclude(kind="receive")
        .values_list("dossier__code", "kind")
    )
    assert kinds == {"S-2": "refuse", "S-3": "withdraw"}


def test_a_code_of_another_commune_is_refused(commune_a, commune_b, leader_a, procedure):
    theirs = DossierFactory(
        commune=commune_b, code="H27-0001", origin=Dossier.Origin.PROVINCE, applicant_name="B"
    )

    report = run(leader_a, commune_a, csv_upload([HEADER, row("H27-0001"), row("H27-0002")]))

    assert report.created == 1
    assert reasons_by_row(report) == {2: "Mã hồ sơ “H27-0001” đã là hồ sơ của một xã khác."}
    theirs.refresh_from_db()
    assert (theirs.commune, theirs.applicant_name) == (commune_b, "B")


def test_a_dossier_received_here_is_never_overwritten(commune_a, leader_a, official, procedure):
    own = services.dossier_receive(
        actor=official,
        procedure=procedure,
        applicant_name="Trần Thị Bình",
        applicant_phone="0987654321",
        notify_channel=Dossier.NotifyChannel.NONE,
    )
    messages = Message.objects.count()

    report = run(leader_a, commune_a, csv_upload([HEADER, row(own.code, name="Ghi đè")]))

    assert report.accepted == 0
    assert "không ghi đè" in report.errors[0].reason
    own.refresh_from_db()
    assert own.applicant_name == "Trần Thị Bình" and own.origin == Dossier.Origin.HERE
    assert Message.objects.count() == messages


def test_imported_dossiers_are_judged_early_on_time_late_like_the_desks(
    commune_a, leader_a, procedure
):
    rows = [
        HEADER,
        row("T-early", ready="05/03/2025 16:00", state="Đã có kết quả"),
        row("T-on-time", ready="06/03/2025 16:00", state="Đã có kết quả"),
        row("T-late", ready="10/03/2025 08:00", state="Đã có kết quả"),
        # Friday after the 15:00 cut-off: counted from Monday, due on Thursday.
        row("T-friday", received="07/03/2025 16:30", state="Đang xử lý"),
        row("T-running", state="Đang xử lý"),
        row(
            "T-reset",
            due="12/03/2025",
            original="06/03/2025",
            ready="11/03/2025 09:00",
            state="Đã có kết quả",
        ),
        row("T-date-only", received="08/03/2025", state="Mới tiếp nhận"),  # a Saturday
    ]
    report = run(leader_a, commune_a, xlsx_upload(rows))
    assert report.created == 7, report.errors
    d = {x.code: x for x in Dossier.objects.all()}
    today = date(2025, 3, 12)

    def judged(code, against="current"):
        return dossier_selectors.timeliness(d[code], against=against, today=today)

    assert judged("T-early") == "early"
    assert judged("T-on-time") == "on_time"
    assert judged("T-late") == "late"
    assert judged("T-running") == "late"
    assert d["T-friday"].receipt_day == date(2025, 3, 10)
    assert d["T-friday"].due_date == date(2025, 3, 13)
    assert judged("T-friday") is None
    assert d["T-date-only"].receipt_day == date(2025, 3, 10)
    for dossier in d.values():
        assert dossier.receipt_day == workdays.receipt_day(dossier.received_at), dossier.code
    reset = d["T-reset"]
    assert (reset.original_due_date, reset.due_date) == (date(2025, 3, 6), date(2025, 3, 12))
    assert judged("T-reset") == "early"
    assert judged("T-reset", against="original") == "late"
    # Recorded one working day before the original due date, as the rules require.
    assert reset.rescheduled_at == datetime(2025, 3, 5, 8, 0, tzinfo=TZ)
    assert reset.events.filter(kind="reschedule", step_due_date=date(2025, 3, 12)).exists()
    counts = dossier_selectors.timeliness_counts(Dossier.objects.all(), today=today)
    assert counts["current"] == {"early": 2, "on_time": 1, "late": 2}
    assert counts["original"] == {"early": 1, "on_time": 1, "late": 3}


def test_dates_that_disagree_are_refused(commune_a, leader_a, procedure):
    rows = [
        HEADER,
        row("D-1", ready="01/03/2025 10:00", state="Đã có kết quả"),
        row("D-2", ready="05/03/2025 10:00", returned="04/03/2025 10:00", state="Đã trả"),
        row("D-3", original="06/03/2025", state="Đang xử lý"),
        row("D-4", due="05/03/2025", original="06/03/2025", state="Đang xử lý"),
        row("D-5", due="01/03/2025", state="Đang xử lý"),
        row("D-6", ready="05/03/2025 10:00", state="Đang xử lý"),
        row("D-7", channel="fax"),
    ]
    report = run(leader_a, commune_a, csv_upload(rows))
    reasons = reasons_by_row(report)
    assert report.created == 0
    assert "Ngày có kết quả trước ngày tiếp nhận" in reasons[2]
    assert "Ngày trả kết quả trước ngày có kết quả" in reasons[3]
    assert "phải ghi cả ngày hẹn trả" in reasons[4]
    assert "phải trước ngày hẹn trả" in reasons[5]
    assert "Ngày hẹn trả 01/03/2025 trước ngày tính tiếp nhận 03/03/2025" in reasons[6]
    assert "Có ngày có kết quả nhưng trạng thái là “Đang giải quyết”" in reasons[7]
    assert "Kênh nộp “fax”" in reasons[8]


def test_import_queues_no_message_to_residents(commune_a, leader_a, procedure):
    rows = [
        HEADER,
        row("N-1", state="Mới tiếp nhận"),
        row("N-2", ready="05/03/2025 10:00", state="Đã có kết quả"),
        row("N-3", due="12/03/2025", original="06/03/2025", state="Đang xử lý"),
        row("N-4", state="Từ chối"),
    ]
    report = run(leader_a, commune_a, csv_upload(rows))
    assert report.created == 4
    assert not Message.objects.exists()
    assert set(Dossier.objects.values_list("notify_channel", flat=True)) == {"none"}


def many_rows(
    n: int, *, phone: str = "0912345678", received: str = "03/03/2025 09:05"
) -> list[list]:
    rows = [HEADER]
    for i in range(n):
        kind = i % 4
        rows.append(
            row(
                f"Q-{i:05d}",
                phone=phone,
                received=received,
                ready="05/03/2025 10:00" if kind >= 2 else "",
                returned="06/03/2025 10:00" if kind == 3 else "",
                state=["Mới tiếp nhận", "Đang xử lý", "Đã có kết quả", "Đã trả kết quả"][kind],
                due="12/03/2025" if kind == 1 else "",
                original="06/03/2025" if kind == 1 else "",
            )
        )
    return rows


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# SQLite takes at most 999 parameters a statement, so Django splits a bulk insert of wide rows
# into statements of ~20 rows; on PostgreSQL the import loads each chunk with COPY, and the
# number of statements does not depend on the rows at all.
MAX_IMPORT_QUERIES = 30


def test_import_query_count_does_not_grow_with_rows(
    commune_a, leader_a, procedure, django_assert_max_num_queries
):
    small, large = csv_upload(many_rows(10)), csv_upload(many_rows(200))

    with django_assert_max_num_queries(MAX_IMPORT_QUERIES):
        report = run(leader_a, commune_a, small)
    assert report.created == 10
    Dossier.objects.all().delete()
    with django_assert_max_num_queries(MAX_IMPORT_QUERIES):
        report = run(leader_a, commune_a, large)
    assert report.created == 200

    # Updating every row, its history included, is as bounded as creating them.
    changed = csv_upload(many_rows(200, phone="0987654321", received="04/03/2025 08:00"))
    with django_assert_max_num_queries(MAX_IMPORT_QUERIES):
        report = run(leader_a, commune_a, changed)
    assert report.updated == 200
    assert DossierEvent.objects.filter(at=datetime(2025, 3, 4, 8, 0, tzinfo=TZ)).count() == 200
    if connection.vendor == "postgresql":
        Dossier.objects.all().delete()
        n_small = count_queries(lambda: run(leader_a, commune_a, small))
        Dossier.objects.all().delete()
        n_large = count_queries(lambda: run(leader_a, commune_a, large))
        assert n_small == n_large


def test_an_unreadable_file_saves_nothing(commune_a, leader_a, procedure, monkeypatch):
    no_header = csv_upload([["STT", "Họ tên"], ["1", "Nguyễn Văn An"]])
    report = run(leader_a, commune_a, no_header)
    assert "Mã hồ sơ" in report.file_error and report.accepted == 0

    # A file refused as too long after some chunks were written leaves no row behind.
    monkeypatch.setattr(province_import, "CHUNK_ROWS", 2)
    monkeypatch.setattr(province_import_io, "MAX_DATA_ROWS", 5)
    report = run(leader_a, commune_a, csv_upload(many_rows(8)))
    assert "quá 5 dòng" in report.file_error
    assert (report.created, report.errors) == (0, [])
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_only_a_commune_admin_or_leader_of_that_commune_may_import(
    make_user, commune_a, commune_b, official, procedure
):
    file = csv_upload([HEADER, row("H27-0001")])
    with pytest.raises(PermissionDenied):
        run(official, commune_a, file)
    with pytest.raises(PermissionDenied):
        run(make_user(Role.COMMUNE_ADMIN, commune=commune_b), commune_a, file)
    with pytest.raises(PermissionDenied):
        run(make_user(Role.PROVINCE_ADMIN, province=commune_a.province), commune_a, file)
    assert run(make_user(Role.COMMUNE_ADMIN, commune=commune_a), commune_a, file).created == 1


def export(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("name", "filename"),
    [("staff:dossier_export_xlsx", "xuat.xlsx"), ("staff:dossier_export_csv", "xuat.csv")],
)
def test_export_then_import_changes_nothing(
    client, name, filename, commune_a, commune_b, leader_a, official, procedure
):
    ProcedureFactory(commune=commune_a, code="1.004873", processing_days=5)
    rows = [
        *MIXED,
        row(
            "R-1",
            procedure="1.004873",
            due="14/03/2025",
            original="10/03/2025",
            note="Hẹn lại vì chờ xác minh\nđã gọi điện",
        ),
        row("R-2", state="Từ chối", received="03/03/2025 17:45"),
    ]
    run(leader_a, commune_a, xlsx_upload(rows))
    here = services.dossier_receive(
        actor=official,
        procedure=procedure,
        applicant_name="Trần Thị Bình",
        applicant_phone="0987654321",
        notify_channel=Dossier.NotifyChannel.NONE,
    )
    DossierFactory(commune=commune_b, code="B-0001", applicant_name="Người Xã Bình")
    before = database_state()
    client.force_login(leader_a)

    content = export(client, name)

    assert "Người Xã Bình".encode() not in content and b"B-0001" not in content
    report = run(leader_a, commune_a, SimpleUploadedFile(filename, content))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert [e.row for e in report.errors] == [7]  # the desk's own dossier, newest: last row
    assert here.code in report.errors[0].reason
    assert database_state() == before


def test_exported_xlsx_has_real_dates_in_the_documented_columns(
    client, commune_a, leader_a, procedure
):
    run(leader_a, commune_a, csv_upload(MIXED))
    client.force_login(leader_a)
    sheet = load_workbook(io.BytesIO(export(client, "staff:dossier_export_xlsx"))).active
    assert [c.value for c in sheet[1]] == HEADER
    first = [c.value for c in sheet[2]]
    assert first[0] == "H27-0001"
    assert first[6] == datetime(2025, 3, 3, 9, 5)
    assert first[10] == "Đã trả kết quả"


def test_template_examples_import(client, commune_a, leader_a, procedure):
    ProcedureFactory(commune=commune_a, code="1.004873", processing_days=3)
    client.force_login(leader_a)
    content = export(client, "staff:dossier_import_template")
    workbook = load_workbook(io.BytesIO(content))
    assert [c.value for c in workbook.active[1]] == HEADER
    assert workbook.sheetnames[1] == "Hướng dẫn"

    report = run(leader_a, commune_a, SimpleUploadedFile("mau.xlsx", content))

    assert (report.created, report.errors) == (2, [])


def test_english_template_imports_with_every_column_recognised(
    client, commune_a, leader_a, procedure
):
    ProcedureFactory(commune=commune_a, code="1.004873", processing_days=3)
    client.force_login(leader_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        content = export(client, "staff:dossier_import_template")
        header = [c.value for c in load_workbook(io.BytesIO(content)).active[1]]
        assert "Mã hồ sơ" not in header
        report = run(leader_a, commune_a, SimpleUploadedFile("template.xlsx", content))

    assert (report.created, report.errors) == (2, [])
    first = Dossier.objects.get(code="000.00.21.H27-250303-0001")
    # The phone and the due date columns are read, not recomputed or left empty.
    assert first.applicant_phone == "0912345678"
    assert first.due_date == date(2025, 3, 6)


def test_import_page_imports_and_shows_the_report(client, commune_a, leader_a, procedure):
    client.force_login(leader_a)
    page = client.get(reverse("staff:dossier_import")).content.decode()
    assert reverse("staff:dossier_import_template") in page
    assert reverse("staff:dossier_export_csv") in page

    response = client.post(reverse("staff:dossier_import"), {"file": csv_upload(MIXED)})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Thêm mới: 3" in page
    assert "Mã thủ tục “9.999999” không có trong danh mục" in page
    assert Dossier.objects.filter(origin=Dossier.Origin.PROVINCE).count() == 3
    nav = client.get(reverse("staff:dossier_list")).content.decode()
    assert reverse("staff:dossier_import") in nav


@pytest.mark.parametrize(
    "name",
    [
        "staff:dossier_import",
        "staff:dossier_import_template",
        "staff:dossier_export_xlsx",
        "staff:dossier_export_csv",
    ],
)
def test_a_desk_official_without_import_rights_gets_403(client, official, name):
    client.force_login(official)
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403
    assert (
        reverse("staff:dossier_import")
        not in client.get(reverse("staff:dossier_list")).content.decode()
    )
    assert not Dossier.objects.exists()
