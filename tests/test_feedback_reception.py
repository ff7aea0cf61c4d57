"""Citizen reception: residents book the chairman's weekly slots online (places per slot, one
booking per double click, rate limit, SMS, masked phone, cancel with the last 4 digits);
officials book by phone, cancel, mark no-shows and keep the reception register (a visit opens
a feedback item, a complaint or links a dossier; search, year, export, A4 landscape print)."""

import io
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CommuneProfileFactory, OfficialFactory, ReceptionSlotFactory
from tests.factories_feedback import ReceptionBookingFactory, ReceptionVisitFactory
from thanthien.core.models import WorkdayOverride
from thanthien.feedback import reception_selectors as selectors
from thanthien.feedback import reception_services as services
from thanthien.feedback.items import FeedbackItem
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit
from thanthien.notify.models import Message
from thanthien.people.roles import Role

PHONE = "0912345678"


@pytest.fixture
def chairman(commune_a):
    return OfficialFactory(commune=commune_a, full_name="Nguyễn Văn Chủ Tịch")


@pytest.fixture
def slot(commune_a, chairman):
    """Every Thursday morning, and a Tuesday afternoon slot too."""
    ReceptionSlotFactory(
        commune=commune_a, weekday=1, start_time=time(14, 0), end_time=time(16, 30), host=chairman
    )
    return ReceptionSlotFactory(
        commune=commune_a,
        weekday=3,
        start_time=time(7, 30),
        end_time=time(11, 0),
        host=chairman,
        place="Phòng tiếp công dân, trụ sở UBND xã",
    )


def thursdays(slot):
    return [o for o in selectors.bookable(slot.commune_id, now=timezone.now()) if o.slot == slot]


def book_data(option, **overrides):
    data = {
        "slot": option.value,
        "name": "Phạm Thị Hẹn",
        "phone": PHONE,
        "matter": "Hỏi về việc cấp giấy chứng nhận quyền sử dụng đất.",
        "group_size": "1",
        "consent_sms": "on",
        "token": "tok-1",
    }
    return {**data, **overrides}


# --- public booking -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_resident_books_a_slot_gets_a_code_an_sms_and_a_masked_phone(
    client, slot, commune_a, empty_cache
):
    option = thursdays(slot)[0]
    url = reverse("feedback:reception_book", args=[commune_a.slug])
    form = client.get(url).content.decode()
    assert option.value in form
    response = client.post(url, book_data(option))
    booking = ReceptionBooking.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("feedback:reception_booked", args=[booking.code])
    assert booking.date == option.date and booking.position == 1
    assert booking.source == ReceptionBooking.Source.ONLINE and booking.consent_sms
    message = Message.objects.get(event="reception_booked")
    assert message.phone == PHONE and booking.code in message.body
    assert f"{option.date:%d/%m/%Y}" in message.body
    page = client.get(response["Location"]).content.decode()
    assert booking.code in page and "091****678" in page and PHONE not in page
    assert "Phòng tiếp công dân" in page


@pytest.mark.django_db
def test_no_sms_without_consent(client, slot, commune_a, empty_cache):
    option = thursdays(slot)[0]
    data = book_data(option)
    del data["consent_sms"]
    client.post(reverse("feedback:reception_book", args=[commune_a.slug]), data)
    assert ReceptionBooking.objects.count() == 1
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_double_submit_books_once(client, slot, commune_a, empty_cache):
    option = thursdays(slot)[0]
    url = reverse("feedback:reception_book", args=[commune_a.slug])
    first = client.post(url, book_data(option))
    second = client.post(url, book_data(option))
    assert first["Location"] == second["Location"]
    assert ReceptionBooking.objects.count() == 1
    # The same phone for the same session without the token is the same booking too.
    client.post(url, book_data(option, token="tok-2"))
    assert ReceptionBooking.objects.count() == 1
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_full_slot_is_refused_with_a_message_and_not_offered(
    client, slot, commune_a, settings, empty_cache
):
    settings.THANTHIEN_RECEPTION_PLACES_PER_SLOT = 2
    option = thursdays(slot)[0]
    url = reverse("feedback:reception_book", args=[commune_a.slug])
    client.post(url, book_data(option, phone="0911000001", token="a"))
    client.post(url, book_data(option, phone="0911000002", token="b"))
    positions = sorted(ReceptionBooking.objects.values_list("position", flat=True))
    assert positions == [1, 2]
    response = client.post(url, book_data(option, phone="0911000003", token="c"))
    assert response.status_code == 400
    assert "Buổi tiếp này không còn nhận đặt lịch" in response.content.decode()
    assert ReceptionBooking.objects.count() == 2
    assert option.value not in client.get(url).content.decode()


@pytest.mark.django_db
def test_only_working_days_within_the_booking_weeks_are_offered(slot, settings):
    settings.THANTHIEN_RECEPTION_BOOKING_WEEKS = 3
    options = thursdays(slot)
    today = timezone.localdate()
    assert all(today <= o.date <= today + timedelta(weeks=3) for o in options)
    assert all(o.date.weekday() == 3 for o in options)
    WorkdayOverride.objects.create(
        date=options[1].date, is_working_day=False, reason="Nghỉ bù theo quyết định"
    )
    assert options[1].date not in [o.date for o in thursdays(slot)]


@pytest.mark.django_db
def test_bad_input_keeps_what_was_typed_and_says_why(client, slot, commune_a, empty_cache):
    option = thursdays(slot)[0]
    url = reverse("feedback:reception_book", args=[commune_a.slug])
    response = client.post(url, book_data(option, phone="12345", name="Phạm Thị Giữ"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Số điện thoại gồm đúng 10 chữ số" in page and "Phạm Thị Giữ" in page
    assert not ReceptionBooking.objects.exists()


@pytest.mark.django_db
def test_public_booking_is_rate_limited_per_address(client, slot, commune_a, settings, empty_cache):
    settings.THANTHIEN_FEEDBACK_RATE = "2/10m"
    option = thursdays(slot)[0]
    url = reverse("feedback:reception_book", args=[commune_a.slug])
    for n in range(2):
        client.post(url, book_data(option, phone=f"091100000{n}", token=f"t{n}"))
    response = client.post(url, book_data(option, phone="0911000009", token="t9"))
    assert response.status_code == 429 and response["Retry-After"]
    assert ReceptionBooking.objects.count() == 2


@pytest.mark.django_db
def test_resident_cancels_with_the_code_and_the_last_4_digits(client, slot, commune_a, empty_cache):
    option = thursdays(slot)[0]
    client.post(reverse("feedback:reception_book", args=[commune_a.slug]), book_data(option))
    booking = ReceptionBooking.objects.get()
    url = reverse("feedback:reception_booked", args=[booking.code])
    wrong = client.post(url, {"phone_last4": "0000"})
    assert wrong.status_code == 400
    assert "4 số cuối điện thoại không đúng" in wrong.content.decode()
    booking.refresh_from_db()
    assert booking.status == ReceptionBooking.Status.BOOKED
    client.post(url, {"phone_last4": "5678"})
    booking.refresh_from_db()
    assert booking.status == ReceptionBooking.Status.CANCELLED
    # The place is free again.
    assert thursdays(slot)[0].taken == 0


@pytest.mark.django_db
def test_portal_reception_page_links_to_booking(client, slot, commune_a):
    CommuneProfileFactory(commune=commune_a)
    page = client.get(reverse("portal:reception", args=[commune_a.slug])).content.decode()
    assert reverse("feedback:reception_book", args=[commune_a.slug]) in page


# --- staff: the week ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_week_page_warns_when_no_reception_day_is_scheduled(client, official):
    client.force_login(official)
    page = client.get(reverse("staff:feedback:reception")).content.decode()
    assert "Xã mới có 0 ngày tiếp công dân mỗi tuần" in page


@pytest.mark.django_db
def test_official_books_by_phone_and_sees_it_in_the_week(client, official, slot):
    option = thursdays(slot)[0]
    client.force_login(official)
    response = client.post(
        reverse("staff:feedback:reception_book_phone"),
        {
            "slot": option.value,
            "name": "Bà Gọi Điện",
            "phone": "0933444555",
            "matter": "Muốn gặp Chủ tịch về việc làm đường.",
            "group_size": "2",
            "source": "phone",
        },
    )
    assert response.status_code == 302
    booking = ReceptionBooking.objects.get()
    assert booking.source == ReceptionBooking.Source.PHONE and booking.booked_by == official
    page = client.get(response["Location"]).content.decode()
    assert "Bà Gọi Điện" in page and "Nguyễn Văn Chủ Tịch" in page
    assert "Xã mới có" not in page


@pytest.mark.django_db
def test_official_cancels_with_a_reason_and_marks_no_show_only_from_the_day(client, official, slot):
    future = ReceptionBookingFactory(commune=slot.commune, slot=slot, phone="0911000001")
    past = ReceptionBookingFactory(
        commune=slot.commune,
        slot=slot,
        phone="0911000002",
        date=timezone.localdate() - timedelta(days=2),
    )
    client.force_login(official)
    client.post(reverse("staff:feedback:reception_booking_no_show", args=[future.pk]))
    future.refresh_from_db()
    assert future.status == ReceptionBooking.Status.BOOKED
    client.post(reverse("staff:feedback:reception_booking_no_show", args=[past.pk]))
    past.refresh_from_db()
    assert past.status == ReceptionBooking.Status.NO_SHOW
    client.post(reverse("staff:feedback:reception_booking_cancel", args=[future.pk]), {})
    future.refresh_from_db()
    assert future.status == ReceptionBooking.Status.BOOKED
    client.post(
        reverse("staff:feedback:reception_booking_cancel", args=[future.pk]),
        {"reason": "Người dân gọi báo bận"},
    )
    future.refresh_from_db()
    assert future.status == ReceptionBooking.Status.CANCELLED
    assert future.cancel_reason == "Người dân gọi báo bận"


@pytest.mark.django_db
def test_front_member_cannot_book_or_cancel(client, make_user, commune_a, slot):
    member = make_user(Role.FRONT_MEMBER, commune=commune_a)
    booking = ReceptionBookingFactory(commune=commune_a, slot=slot)
    client.force_login(member)
    url = reverse("staff:feedback:reception_booking_cancel", args=[booking.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


# --- staff: the register ----------------------------------------------------------------------


def visit_data(official_pk, **overrides):
    now = timezone.localtime().replace(second=0, microsecond=0) - timedelta(minutes=5)
    data = {
        "visited_at": now.strftime("%Y-%m-%dT%H:%M"),
        "received_by": official_pk,
        "citizen_name": "Đinh Văn Đến",
        "citizen_phone": "0977888999",
        "citizen_id_number": "001203004005",
        "group_size": "1",
        "kind": "petition",
        "matter": "Kiến nghị sửa cống thoát nước ở thôn Đông.",
        "outcome": "guided",
        "opens": "none",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_visit_from_a_booking_opens_a_feedback_item_and_marks_the_booking_attended(
    client, official, slot, chairman
):
    booking = ReceptionBookingFactory(
        commune=slot.commune, slot=slot, date=timezone.localdate() - timedelta(days=0)
    )
    client.force_login(official)
    url = reverse("staff:feedback:reception_visit_new")
    form = client.get(url, {"booking": booking.pk}).content.decode()
    assert booking.name in form
    response = client.post(
        f"{url}?booking={booking.pk}",
        visit_data(chairman.pk, citizen_name=booking.name, opens="feedback"),
    )
    visit = ReceptionVisit.objects.get()
    assert response["Location"] == reverse("staff:feedback:reception_visit", args=[visit.pk])
    assert visit.number == 1 and visit.year == visit.visited_at.year
    assert visit.booking == booking and visit.is_scheduled_session
    assert visit.outcome == ReceptionVisit.Outcome.FEEDBACK
    item = FeedbackItem.objects.get()
    assert visit.feedback_item == item
    assert item.source == "reception" and item.entered_by == official
    booking.refresh_from_db()
    assert booking.status == ReceptionBooking.Status.ATTENDED
    page = client.get(response["Location"]).content.decode()
    assert item.code in page and "001203004005" in page


@pytest.mark.django_db
def test_visit_about_a_complaint_goes_on_to_register_it(client, leader_a, official, chairman):
    client.force_login(leader_a)
    response = client.post(
        reverse("staff:feedback:reception_visit_new"),
        visit_data(chairman.pk, kind="complaint", opens="complaint"),
    )
    visit = ReceptionVisit.objects.get()
    assert visit.outcome == ReceptionVisit.Outcome.COMPLAINT
    assert response["Location"] == (
        reverse("staff:feedback:complaint_new") + f"?from_visit={visit.pk}"
    )
    # An official may not register complaints: the visit page, where a leader goes on.
    client.force_login(official)
    response = client.post(
        reverse("staff:feedback:reception_visit_new"),
        visit_data(chairman.pk, kind="denunciation", opens="complaint", matter="Tố cáo lấn đất."),
        follow=True,
    )
    later = ReceptionVisit.objects.latest("pk")
    assert response.redirect_chain[-1][0] == reverse(
        "staff:feedback:reception_visit", args=[later.pk]
    )
    assert "Lãnh đạo xã sẽ vào sổ đơn" in response.content.decode()


@pytest.mark.django_db
def test_visit_links_a_dossier_by_its_code_or_says_it_is_unknown(
    client, official, chairman, receive
):
    dossier = receive()
    client.force_login(official)
    url = reverse("staff:feedback:reception_visit_new")
    bad = client.post(url, visit_data(chairman.pk, opens="dossier", dossier_code="XX-1"))
    assert "Không tìm thấy hồ sơ có số này" in bad.content.decode()
    assert not ReceptionVisit.objects.exists()
    client.post(url, visit_data(chairman.pk, opens="dossier", dossier_code=dossier.code))
    visit = ReceptionVisit.objects.get()
    assert visit.dossier == dossier and visit.outcome == ReceptionVisit.Outcome.DOSSIER


@pytest.mark.django_db
def test_register_search_year_filter_export_and_landscape_print(client, official, commune_a):
    host = OfficialFactory(commune=commune_a, full_name="Cán Bộ Tiếp")
    ReceptionVisitFactory(
        commune=commune_a, number=1, year=2025, citizen_name="Nguyễn Thị Năm Cũ", received_by=host
    )
    ReceptionVisitFactory(
        commune=commune_a,
        number=1,
        year=2026,
        citizen_name="Trương Văn Năm Nay",
        citizen_id_number="001203004005",
        received_by=host,
    )
    client.force_login(official)
    url = reverse("staff:feedback:reception_register")
    page = client.get(url, {"year": "2025"}).content.decode()
    assert "Nguyễn Thị Năm Cũ" in page and "Trương Văn Năm Nay" not in page
    page = client.get(url, {"q": "truong van"}).content.decode()
    assert "Trương Văn Năm Nay" in page and "Nguyễn Thị Năm Cũ" not in page
    export = client.get(reverse("staff:feedback:reception_register_export"), {"year": "2026"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in sheet[1]][:3] == ["STT", "Ngày tiếp", "Họ tên"]
    assert sheet.max_row == 2 and sheet["C2"].value == "Trương Văn Năm Nay"
    assert sheet["E2"].value == "001203004005"
    printed = client.get(reverse("staff:feedback:reception_register_print"), {"year": "2026"})
    text = printed.content.decode()
    assert "A4 landscape" in text and "Sổ tiếp công dân năm 2026" in text
    assert "Trương Văn Năm Nay" in text and "Cán Bộ Tiếp" in text


@pytest.mark.django_db
def test_register_query_count_does_not_grow(
    client, official, commune_a, django_assert_max_num_queries
):
    host = OfficialFactory(commune=commune_a)
    client.force_login(official)
    url = reverse("staff:feedback:reception_register")
    ReceptionVisitFactory.create_batch(3, commune=commune_a, received_by=host)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    ReceptionVisitFactory.create_batch(40, commune=commune_a, received_by=host)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_week_page_query_count_does_not_grow(client, official, slot, django_assert_max_num_queries):
    client.force_login(official)
    url = reverse("staff:feedback:reception")
    monday = selectors.week_start(thursdays(slot)[0].date)
    thursday = monday + timedelta(days=3)
    ReceptionBookingFactory(commune=slot.commune, slot=slot, date=thursday)
    with django_assert_max_num_queries(25) as few:
        client.get(url, {"tuan": monday.isoformat()})
    for n in range(6):
        ReceptionBookingFactory(
            commune=slot.commune, slot=slot, date=thursday, phone=f"09110000{n:02d}"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, {"tuan": monday.isoformat()}).content.decode()
    assert "Đã đặt 7/8 lượt" in page


@pytest.mark.django_db
def test_another_communes_visit_and_booking_are_not_found(client, official, commune_b):
    visit = ReceptionVisitFactory(commune=commune_b)
    booking = ReceptionBookingFactory(commune=commune_b)
    client.force_login(official)
    assert client.get(reverse("staff:feedback:reception_visit", args=[visit.pk])).status_code == 404
    url = reverse("staff:feedback:reception_booking_cancel", args=[booking.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    response = client.get(reverse("staff:feedback:reception_visit_new"), {"booking": booking.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_service_refuses_a_visit_without_an_official_of_the_commune(official, commune_a, commune_b):
    from django.core.exceptions import ValidationError

    stranger = OfficialFactory(commune=commune_b)
    with pytest.raises(ValidationError) as error:
        services.visit_record(
            actor=official,
            commune=commune_a,
            visited_at=timezone.now(),
            received_by=stranger,
            citizen_name="Ai Đó",
            kind="other",
            matter="Hỏi thăm tình hình chung.",
            outcome="guided",
        )
    assert "received_by" in error.value.message_dict


@pytest.mark.django_db
def test_a_denouncers_visit_is_masked_for_officials_who_did_not_receive_them(
    client, make_user, official, leader_a, commune_a
):
    recorder = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    visit = ReceptionVisitFactory(
        commune=commune_a,
        kind=ReceptionVisit.Kind.DENUNCIATION,
        citizen_name="Người Tố Giấu Tên",
        citizen_id_number="001203009999",
        matter="Tố cáo cán bộ thu tiền sai quy định.",
        recorded_by=recorder,
    )
    register = reverse("staff:feedback:reception_register")
    detail = reverse("staff:feedback:reception_visit", args=[visit.pk])
    client.force_login(official)
    for url in (register, detail, reverse("staff:feedback:reception_register_print")):
        page = client.get(url).content.decode()
        assert "Người Tố Giấu Tên" not in page and "001203009999" not in page
        assert "(bảo mật)" in page
    assert "Tố cáo cán bộ" not in client.get(register, {"q": "Giấu Tên"}).content.decode()
    export = client.get(reverse("staff:feedback:reception_register_export"))
    values = [c.value for row in load_workbook(io.BytesIO(export.content)).active for c in row]
    assert "Người Tố Giấu Tên" not in values
    for reader in (recorder, leader_a):
        client.force_login(reader)
        assert "Người Tố Giấu Tên" in client.get(detail).content.decode()


@pytest.mark.django_db
def test_a_double_click_on_write_visit_keeps_one_row(client, official, chairman, slot):
    booking = ReceptionBookingFactory(commune=slot.commune, slot=slot)
    client.force_login(official)
    url = reverse("staff:feedback:reception_visit_new")
    data = visit_data(chairman.pk, opens="feedback")
    client.post(url, data)
    client.post(url, data)
    assert ReceptionVisit.objects.count() == 1 and FeedbackItem.objects.count() == 1
    first = client.post(
        f"{url}?booking={booking.pk}", visit_data(chairman.pk, matter="Lần một: xin gặp Chủ tịch.")
    )
    second = client.post(
        f"{url}?booking={booking.pk}", visit_data(chairman.pk, matter="Lần hai: xin gặp Chủ tịch.")
    )
    assert ReceptionVisit.objects.count() == 2
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_province_evaluator_reads_the_week_of_a_commune_of_their_province_only(
    client, make_user, commune_a, commune_b, slot, province_p
):
    from tests.factories import CommuneFactory

    other = CommuneFactory(name="Xã Ở Tỉnh P", province=province_p)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    url = reverse("staff:feedback:reception")
    page = client.get(url, {"xa": commune_a.pk}).content.decode()
    assert slot.host.full_name in page and 'name="xa"' in page
    assert 'id="phone-h"' not in page  # reading only: no booking by phone
    page = client.get(url, {"xa": other.pk}).content.decode()
    assert slot.host.full_name not in page
    # Another province's commune is not offered and falls back to the first of their own.
    page = client.get(url, {"xa": commune_b.pk}).content.decode()
    assert commune_b.name not in page


@pytest.mark.django_db
def test_the_audit_log_does_not_name_a_denouncer_who_came_to_a_reception(official, commune_a):
    from auditlog.models import LogEntry

    visit = ReceptionVisitFactory(
        commune=commune_a,
        kind=ReceptionVisit.Kind.DENUNCIATION,
        citizen_name="Người Tố Giấu Tên",
        citizen_id_number="001203009999",
        citizen_phone="0987654321",
    )
    visit.matter = "Bổ sung: có hai người làm chứng."
    visit.save()
    entries = LogEntry.objects.get_for_object(visit)
    assert entries.count() == 2
    for entry in entries:
        text = f"{entry.object_repr} {entry.changes}"
        assert "Người Tố Giấu Tên" not in text
        assert "001203009999" not in text and "0987654321" not in text
    # A visit about anything else keeps its usual name in the log.
    other = ReceptionVisitFactory(commune=commune_a, citizen_name="Trần Văn Hỏi")
    assert "Trần Văn Hỏi" in LogEntry.objects.get_for_object(other).get().object_repr
