"""Complaints and denunciations: the register and its stage moves through the services, the
denouncer's identity kept from everyone but the assigned officials (pages, export, print,
admin, audit log), the staff pages with their filters, export and query counts, and the
letters that come from a feedback item or a reception visit."""

import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import HamletFactory, OfficialFactory
from tests.factories_feedback import ComplaintFactory, ReceptionVisitFactory
from thanthien.feedback import complaint_services as services
from thanthien.feedback.complaints import Complaint, ComplaintExtension
from thanthien.feedback.intake_services import feedback_submit
from thanthien.feedback.items import Status
from thanthien.feedback.reception import ReceptionVisit
from thanthien.people.roles import Role

DENOUNCER = "Trần Văn Bí Mật"


def today():
    return timezone.localdate()


def register(actor, commune, **overrides):
    values = {
        "actor": actor,
        "commune": commune,
        "kind": Complaint.Kind.COMPLAINT,
        "person_name": "Lê Văn Khiếu",
        "person_phone": "0912345678",
        "subject": "Quyết định thu hồi đất số 12/QĐ-UBND",
        "content": "Không đồng ý với mức bồi thường khi thu hồi đất.",
        "received_on": today() - timedelta(days=3),
    }
    return services.complaint_register(**{**values, **overrides})


def denunciation(actor, commune, **overrides):
    values = {
        "kind": Complaint.Kind.DENUNCIATION,
        "person_name": DENOUNCER,
        "person_phone": "0987654321",
        "person_address": "Xóm Giữa",
        "subject": "Cán bộ địa chính nhận tiền",
        "respondent": "Ông Nguyễn Văn Địa",
        "content": "Tố cáo cán bộ nhận tiền khi làm giấy tờ đất.",
    }
    return register(actor, commune, **{**values, **overrides})


@pytest.fixture
def leader_b_of_a(make_user, commune_a):
    """A second leader of commune A, not assigned to anything."""
    return make_user(Role.COMMUNE_LEADER, commune=commune_a, full_name="Phó Chủ tịch Hai")


# --- the register and the stages -----------------------------------------------------------


@pytest.mark.django_db
def test_register_numbers_the_letter_and_sets_the_10_day_acceptance_deadline(leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    year = complaint.received_on.year % 100
    assert complaint.code == f"KN-{commune_a.code}-{year:02d}-0001"
    assert complaint.accept_due == complaint.received_on + timedelta(days=10)
    assert complaint.status == Complaint.Status.RECEIVED
    assert complaint.recorded_by == leader_a
    second = denunciation(leader_a, commune_a)
    assert second.code == f"TC-{commune_a.code}-{year:02d}-0002"


@pytest.mark.django_db
def test_remote_commune_complex_complaint_gets_60_days_from_acceptance(leader_a, commune_a):
    commune_a.is_remote_area = True
    commune_a.save()
    complaint = register(leader_a, commune_a)
    assert complaint.is_remote_area
    accepted_on = today() - timedelta(days=1)
    complaint = services.complaint_accept(
        actor=leader_a, complaint=complaint, accepted_on=accepted_on, is_complex=True
    )
    assert complaint.status == Complaint.Status.ACCEPTED
    assert complaint.resolve_due == accepted_on + timedelta(days=60)


@pytest.mark.django_db
def test_complaint_after_90_days_is_refused_with_a_message_unless_an_obstacle_is_recorded(
    leader_a, commune_a
):
    received = today() - timedelta(days=1)
    learned = received - timedelta(days=91)
    with pytest.raises(ValidationError) as error:
        register(leader_a, commune_a, received_on=received, learned_on=learned)
    message = error.value.message_dict["learned_on"][0]
    assert "quá thời hiệu khiếu nại 90 ngày" in message
    assert Complaint.objects.count() == 0
    complaint = register(
        leader_a,
        commune_a,
        received_on=received,
        learned_on=learned,
        obstacle_reason="Nằm viện điều trị 2 tháng",
    )
    assert "Nằm viện điều trị 2 tháng" in complaint.content


@pytest.mark.django_db
def test_officials_cannot_register_complaints(official, commune_a):
    with pytest.raises(PermissionDenied):
        register(official, commune_a)


@pytest.mark.django_db
def test_resolution_needs_acceptance_first_and_records_the_decision(leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    with pytest.raises(ValidationError) as error:
        services.complaint_resolve(
            actor=leader_a,
            complaint=complaint,
            resolved_on=today(),
            decision_number="01/QĐ-UBND",
            resolution="Giữ nguyên quyết định.",
        )
    assert "không thể ghi kết quả giải quyết" in error.value.messages[0]
    services.complaint_accept(actor=leader_a, complaint=complaint, accepted_on=today())
    complaint = services.complaint_resolve(
        actor=leader_a,
        complaint=complaint,
        resolved_on=today(),
        decision_number="01/QĐ-UBND",
        resolution="Giữ nguyên quyết định.",
    )
    assert complaint.status == Complaint.Status.RESOLVED
    assert complaint.resolved_on == today() and complaint.decision_number == "01/QĐ-UBND"


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_a_date_not_before_receipt(leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    with pytest.raises(ValidationError) as error:
        services.complaint_refuse(
            actor=leader_a,
            complaint=complaint,
            refused_on=complaint.received_on - timedelta(days=1),
            reason="",
        )
    assert set(error.value.message_dict) == {"refused_on", "refusal_reason"}
    complaint = services.complaint_refuse(
        actor=leader_a, complaint=complaint, refused_on=today(), reason="Hết thời hiệu."
    )
    assert complaint.status == Complaint.Status.REFUSED


@pytest.mark.django_db
def test_denunciation_resolution_is_extended_once_then_refused(leader_a, commune_a):
    case = denunciation(leader_a, commune_a)
    services.complaint_accept(actor=leader_a, complaint=case, accepted_on=today())
    case.refresh_from_db()
    first_due = case.resolve_due
    extension = services.complaint_extend(
        actor=leader_a,
        complaint=case,
        stage="resolve",
        days=30,
        reason="Cần xác minh tại nhiều nơi.",
        decided_on=today(),
    )
    case.refresh_from_db()
    assert extension.previous_due == first_due
    assert case.resolve_due == first_due + timedelta(days=30) == extension.new_due
    with pytest.raises(ValidationError) as error:
        services.complaint_extend(
            actor=leader_a,
            complaint=case,
            stage="resolve",
            days=10,
            reason="Thêm lần nữa.",
            decided_on=today(),
        )
    assert "chỉ được gia hạn 1 lần" in error.value.messages[0]
    assert ComplaintExtension.objects.count() == 1


@pytest.mark.django_db
def test_especially_complex_denunciation_is_extended_twice(leader_a, commune_a):
    case = denunciation(leader_a, commune_a, is_complex=True)
    services.complaint_accept(actor=leader_a, complaint=case, accepted_on=today())
    for _ in range(2):
        services.complaint_extend(
            actor=leader_a,
            complaint=case,
            stage="resolve",
            days=30,
            reason="Vụ việc đặc biệt phức tạp.",
            decided_on=today(),
        )
    case.refresh_from_db()
    assert case.resolve_due == today() + timedelta(days=90)
    with pytest.raises(ValidationError):
        services.complaint_extend(
            actor=leader_a,
            complaint=case,
            stage="resolve",
            days=30,
            reason="Lần ba.",
            decided_on=today(),
        )


@pytest.mark.django_db
def test_denunciation_initial_handling_extension_goes_to_10_working_days(leader_a, commune_a):
    from thanthien.core.workdays import add_working_days

    case = denunciation(leader_a, commune_a)
    assert case.accept_due == add_working_days(case.received_on, 7)
    services.complaint_extend(
        actor=leader_a,
        complaint=case,
        stage="accept",
        days=0,
        reason="Cần thêm thời gian xác minh.",
        decided_on=today(),
    )
    case.refresh_from_db()
    assert case.accept_due == add_working_days(case.received_on, 10)


@pytest.mark.django_db
def test_extension_beyond_the_law_shows_a_clear_message_on_the_page(client, leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    services.complaint_accept(actor=leader_a, complaint=complaint, accepted_on=today())
    client.force_login(leader_a)
    response = client.post(
        reverse("staff:feedback:complaint_extend", args=[complaint.pk]),
        {
            "stage": "resolve",
            "days": "15",
            "decided_on": today().isoformat(),
            "reason": "Xin thêm thời gian.",
        },
    )
    assert response.status_code == 200
    assert "Luật Khiếu nại không cho gia hạn" in response.content.decode()
    assert not ComplaintExtension.objects.exists()


@pytest.mark.django_db
def test_stage_actions_through_the_pages(client, leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    client.force_login(leader_a)
    assert (
        client.get(reverse("staff:feedback:complaint_accept", args=[complaint.pk])).status_code
        == 405
    )
    response = client.post(
        reverse("staff:feedback:complaint_accept", args=[complaint.pk]),
        {"accepted_on": today().isoformat(), "is_complex": "on"},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED and complaint.is_complex
    assert complaint.resolve_due == today() + timedelta(days=45)
    client.post(
        reverse("staff:feedback:complaint_resolve", args=[complaint.pk]),
        {
            "resolved_on": today().isoformat(),
            "decision_number": "15/QĐ-UBND",
            "resolution": "Chấp nhận một phần khiếu nại.",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.RESOLVED
    page = client.get(reverse("staff:feedback:complaint_print", args=[complaint.pk]))
    assert "15/QĐ-UBND" in page.content.decode()
    assert "Phiếu theo dõi giải quyết đơn" in page.content.decode()


# --- who sees what -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_officials_see_complaints_but_not_denunciations(client, official, leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    case = denunciation(leader_a, commune_a)
    client.force_login(official)
    page = client.get(reverse("staff:feedback:complaints")).content.decode()
    assert complaint.code in page and case.code not in page
    assert client.get(reverse("staff:feedback:complaint", args=[case.pk])).status_code == 404
    assert client.get(reverse("staff:feedback:complaint_new")).status_code == 403


@pytest.mark.django_db
def test_denouncer_identity_is_shown_only_to_assigned_officials(
    client, leader_a, leader_b_of_a, commune_a
):
    case = denunciation(leader_a, commune_a)
    assert list(case.assignees.all()) == [leader_a]
    urls = [
        reverse("staff:feedback:complaints"),
        reverse("staff:feedback:complaint", args=[case.pk]),
        reverse("staff:feedback:complaint_print", args=[case.pk]),
    ]
    client.force_login(leader_b_of_a)
    for url in urls:
        page = client.get(url).content.decode()
        assert case.code in page
        assert DENOUNCER not in page and "0987654321" not in page and "Xóm Giữa" not in page
        assert "(bảo mật)" in page
    export = client.get(reverse("staff:feedback:complaint_export"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "(bảo mật)" in values and DENOUNCER not in values
    # Searching by the name would reveal who wrote it: no match for the unassigned.
    search = client.get(reverse("staff:feedback:complaints"), {"q": "Bí Mật"}).content.decode()
    assert case.code not in search
    client.force_login(leader_a)
    for url in urls:
        assert DENOUNCER in client.get(url).content.decode()
    search = client.get(reverse("staff:feedback:complaints"), {"q": "Bí Mật"}).content.decode()
    assert case.code in search


@pytest.mark.django_db
def test_assignment_is_for_leaders_and_opens_the_identity_to_the_assignee(
    client, official, leader_a, leader_b_of_a, commune_a
):
    case = denunciation(leader_a, commune_a)
    client.force_login(official)
    url = reverse("staff:feedback:complaint_assign", args=[case.pk])
    assert client.post(url, {"assignees": [official.pk]}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.complaint_assign(actor=official, complaint=case, assignees=[official])
    client.force_login(leader_a)
    client.post(url, {"assignees": [official.pk, leader_a.pk]})
    assert set(case.assignees.all()) == {official, leader_a}
    client.force_login(official)
    page = client.get(reverse("staff:feedback:complaint", args=[case.pk])).content.decode()
    assert DENOUNCER in page
    client.force_login(leader_b_of_a)
    page = client.get(reverse("staff:feedback:complaint", args=[case.pk])).content.decode()
    assert DENOUNCER not in page


@pytest.mark.django_db
def test_audit_log_never_holds_the_denouncers_identity(client, leader_a, admin_a, commune_a):
    case = denunciation(leader_a, commune_a)
    services.complaint_accept(actor=leader_a, complaint=case, accepted_on=today())
    entries = LogEntry.objects.filter(
        content_type__app_label="feedback", content_type__model="complaint"
    )
    assert entries.count() >= 2
    for entry in entries:
        text = f"{entry.object_repr} {entry.changes}"
        assert DENOUNCER not in text and "0987654321" not in text
    client.force_login(admin_a)
    listing = client.get(reverse("staff:audit_log")).content.decode()
    assert case.code in listing and DENOUNCER not in listing
    for entry in entries:
        page = client.get(reverse("staff:audit_entry", args=[entry.pk])).content.decode()
        assert DENOUNCER not in page and "0987654321" not in page


@pytest.mark.django_db
def test_admin_list_masks_the_denouncer(client, leader_a, admin_a, commune_a):
    case = denunciation(leader_a, commune_a)
    admin_a.is_staff = True
    admin_a.save()
    client.force_login(admin_a)
    listing = client.get(reverse("admin:feedback_complaint_changelist"))
    assert listing.status_code == 200
    assert case.code in listing.content.decode()
    assert DENOUNCER not in listing.content.decode()
    change = client.get(reverse("admin:feedback_complaint_change", args=[case.pk]))
    assert change.status_code == 200
    assert DENOUNCER not in change.content.decode()


@pytest.mark.django_db
def test_another_communes_complaint_is_not_found(client, leader_a, commune_b):
    theirs = ComplaintFactory(commune=commune_b)
    client.force_login(leader_a)
    assert client.get(reverse("staff:feedback:complaint", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("staff:feedback:complaint_accept", args=[theirs.pk]),
        {"accepted_on": today().isoformat()},
    )
    assert response.status_code == 404


# --- the list, filters, export -----------------------------------------------------------------


@pytest.mark.django_db
def test_list_filters_by_kind_status_and_overdue(client, leader_a, commune_a):
    late = ComplaintFactory(
        commune=commune_a, code="KN-LATE", accept_due=today() - timedelta(days=1)
    )
    on_time = ComplaintFactory(
        commune=commune_a, code="KN-ONTIME", accept_due=today() + timedelta(days=5)
    )
    done = ComplaintFactory(
        commune=commune_a,
        code="TC-DONE",
        kind=Complaint.Kind.DENUNCIATION,
        status=Complaint.Status.RESOLVED,
        accept_due=today() - timedelta(days=30),
    )
    client.force_login(leader_a)
    url = reverse("staff:feedback:complaints")
    page = client.get(url, {"overdue": "on"}).content.decode()
    assert late.code in page and on_time.code not in page and done.code not in page
    page = client.get(url, {"kind": "denunciation"}).content.decode()
    assert done.code in page and late.code not in page
    page = client.get(url, {"status": "received"}).content.decode()
    assert late.code in page and on_time.code in page and done.code not in page


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_register(
    client, leader_a, commune_a, django_assert_max_num_queries
):
    client.force_login(leader_a)
    url = reverse("staff:feedback:complaints")
    ComplaintFactory.create_batch(3, commune=commune_a, hamlet=HamletFactory(commune=commune_a))
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    ComplaintFactory.create_batch(
        30,
        commune=commune_a,
        kind=Complaint.Kind.DENUNCIATION,
        hamlet=HamletFactory(commune=commune_a),
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_export_is_the_register_with_every_stage_date(client, leader_a, commune_a):
    complaint = register(leader_a, commune_a)
    services.complaint_accept(actor=leader_a, complaint=complaint, accepted_on=today())
    client.force_login(leader_a)
    response = client.get(reverse("staff:feedback:complaint_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["STT", "Số đơn", "Loại"]
    row = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    complaint.refresh_from_db()
    assert row["Số đơn"] == complaint.code
    assert row["Ngày nhận"] == f"{complaint.received_on:%d/%m/%Y}"
    assert row["Ngày thụ lý"] == f"{today():%d/%m/%Y}"
    assert row["Hạn giải quyết"] == f"{complaint.resolve_due:%d/%m/%Y}"
    assert row["Họ tên"] == "Lê Văn Khiếu"


# --- letters from a feedback item or a reception visit ----------------------------------------


@pytest.mark.django_db
def test_complaint_from_a_feedback_item_is_prefilled_linked_and_the_item_redirected(
    client, official, leader_a, commune_a
):
    item = feedback_submit(
        commune=commune_a,
        content="Tôi khiếu nại quyết định thu hồi đất của xã vì bồi thường thấp.",
        source="phone",
        sender_name="Hoàng Văn Gọi",
        sender_phone="0911222333",
        entered_by=official,
    ).item
    client.force_login(leader_a)
    url = reverse("staff:feedback:complaint_new")
    form = client.get(url, {"from_item": item.pk}).content.decode()
    assert "Hoàng Văn Gọi" in form and item.code in form
    response = client.post(
        f"{url}?from_item={item.pk}",
        {
            "kind": "complaint",
            "round": "1",
            "received_on": today().isoformat(),
            "person_name": "Hoàng Văn Gọi",
            "person_phone": "0911222333",
            "subject": "Quyết định thu hồi đất",
            "content": item.content,
            "feedback_item": item.pk,
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:feedback:complaint", args=[complaint.pk])
    assert complaint.feedback_item == item
    item.refresh_from_db()
    # Closed through the feedback workflow, the sender told it is now a complaint.
    assert item.status == Status.REDIRECTED
    assert complaint.code in item.redirect_reason


@pytest.mark.django_db
def test_denunciation_from_a_reception_visit_is_prefilled_and_linked(client, leader_a, commune_a):
    visit = ReceptionVisitFactory(
        commune=commune_a,
        kind=ReceptionVisit.Kind.DENUNCIATION,
        citizen_name="Vũ Thị Đến",
        matter="Tố cáo việc lấn chiếm đất công ở thôn Đông.",
        received_by=OfficialFactory(commune=commune_a),
    )
    client.force_login(leader_a)
    url = reverse("staff:feedback:complaint_new")
    form = client.get(url, {"from_visit": visit.pk}).content.decode()
    assert "Vũ Thị Đến" in form and 'value="denunciation" selected' in form
    client.post(
        url,
        {
            "kind": "denunciation",
            "round": "1",
            "received_on": today().isoformat(),
            "person_name": "Vũ Thị Đến",
            "subject": "Lấn chiếm đất công",
            "content": visit.matter,
            "reception_visit": visit.pk,
        },
    )
    case = Complaint.objects.get()
    assert case.reception_visit == visit and case.kind == Complaint.Kind.DENUNCIATION
    assert list(case.assignees.all()) == [leader_a]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN])
def test_every_complaint_and_reception_page_with_a_pk_refuses_another_commune(
    client, make_user, commune_a, commune_b, role
):
    from tests.factories_feedback import ReceptionBookingFactory
    from thanthien.core.staff import SCOPED_VIEWS

    victims = {
        "feedback.Complaint": ComplaintFactory(commune=commune_b),
        "feedback.ReceptionBooking": ReceptionBookingFactory(commune=commune_b),
        "feedback.ReceptionVisit": ReceptionVisitFactory(commune=commune_b),
    }
    names = [
        name
        for name in SCOPED_VIEWS
        if name.startswith(("staff:feedback:complaint", "staff:feedback:reception"))
    ]
    assert len(names) >= 12
    client.force_login(make_user(role, commune=commune_a))
    for name in names:
        url = reverse(name, args=[victims[SCOPED_VIEWS[name]].pk])
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {}).status_code in (403, 404), url


@pytest.mark.django_db
def test_a_double_click_on_register_writes_one_entry(client, leader_a, commune_a):
    client.force_login(leader_a)
    data = {
        "kind": "complaint",
        "round": "1",
        "received_on": today().isoformat(),
        "person_name": "Lê Văn Hai Lần",
        "subject": "Quyết định xử phạt",
        "content": "Không đồng ý với quyết định xử phạt hành chính.",
    }
    url = reverse("staff:feedback:complaint_new")
    first = client.post(url, data)
    second = client.post(url, data)
    assert Complaint.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_transfer_and_withdrawal_are_recorded_with_their_dates(client, leader_a, commune_a):
    first = denunciation(leader_a, commune_a)
    second = register(leader_a, commune_a, person_name="Người Rút Đơn")
    client.force_login(leader_a)
    client.post(
        reverse("staff:feedback:complaint_transfer", args=[first.pk]),
        {"transferred_on": today().isoformat(), "transferred_to": "Công an huyện"},
    )
    client.post(
        reverse("staff:feedback:complaint_withdraw", args=[second.pk]),
        {"withdrawn_on": today().isoformat(), "note": "Đã thoả thuận được."},
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Complaint.Status.TRANSFERRED
    assert first.transferred_to == "Công an huyện" and first.transferred_on == today()
    assert second.status == Complaint.Status.WITHDRAWN and second.withdrawn_on == today()
    page = client.get(reverse("staff:feedback:complaint", args=[first.pk])).content.decode()
    assert "Công an huyện" in page and "Thụ lý" not in page


@pytest.mark.django_db
def test_detail_shows_extensions_and_the_visit_it_came_from(client, leader_a, commune_a):
    visit = ReceptionVisitFactory(commune=commune_a, received_by=OfficialFactory(commune=commune_a))
    case = denunciation(leader_a, commune_a, reception_visit=visit)
    services.complaint_extend(
        actor=leader_a,
        complaint=case,
        stage="accept",
        days=0,
        reason="Cần xác minh tại nhiều địa điểm.",
        decided_on=today(),
    )
    client.force_login(leader_a)
    page = client.get(reverse("staff:feedback:complaint", args=[case.pk])).content.decode()
    assert "Cần xác minh tại nhiều địa điểm." in page
    assert reverse("staff:feedback:reception_visit", args=[visit.pk]) in page
    visit_page = client.get(reverse("staff:feedback:reception_visit", args=[visit.pk]))
    assert case.code in visit_page.content.decode()
