"""The desk's staff pages: receive, list, detail with its moves, the printed receipt."""

from datetime import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.dossier_helpers import TZ, receive_dossier
from tests.factories import OfficialFactory
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.core import workdays
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role


@pytest.fixture
def dossier(official, procedure):
    return receive_dossier(
        actor=official,
        procedure=procedure,
        applicant_id_number="001203004567",
        notify_channel=Dossier.NotifyChannel.NONE,
        received_at=datetime(2025, 3, 3, 9, 5, tzinfo=TZ),
    )


def form_data(**overrides) -> dict:
    data = {
        "procedure": "1.001193 — Đăng ký khai sinh",
        "applicant_name": "Trần Thị Bình",
        "applicant_phone": "0987654321",
        "applicant_id_number": "",
        "applicant_address": "Thôn Đông",
        "channel": "desk",
        "return_method": "desk",
        "appointment_at": "",
        "notify_channel": "sms",
        "consent_sms": "on",
        "email": "",
        "documents_received": "",
        "note": "",
        "idempotency_token": "token-abc",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_receive_page_offers_procedures_and_focuses_the_first_field(client, official, procedure):
    client.force_login(official)
    page = client.get(reverse("staff:desk_receive")).content.decode()
    assert '<datalist id="procedure-options">' in page
    assert "1.001193 — Đăng ký khai sinh" in page
    assert 'list="procedure-options"' in page and "autofocus" in page
    assert 'name="idempotency_token"' in page


@pytest.mark.django_db
def test_official_receives_a_dossier_and_is_offered_the_receipt(
    client, official, commune_a, procedure
):
    client.force_login(official)
    response = client.post(reverse("staff:desk_receive"), form_data())
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{dossier.get_absolute_url()}?vua-tiep-nhan=1"
    assert dossier.created_by == official
    assert dossier.commune == commune_a
    assert dossier.consent_sms is True
    detail = client.get(response["Location"]).content.decode()
    assert "In giấy tiếp nhận" in detail
    assert reverse("staff:dossier_receipt", args=[dossier.pk]) in detail


@pytest.mark.django_db
def test_double_submit_of_the_receive_form_creates_one_dossier(client, official, procedure):
    client.force_login(official)
    first = client.post(reverse("staff:desk_receive"), form_data())
    second = client.post(reverse("staff:desk_receive"), form_data())
    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.django_db
def test_procedure_typed_without_diacritics_is_found(client, official, procedure):
    client.force_login(official)
    client.post(reverse("staff:desk_receive"), form_data(procedure="dang ky khai sinh"))
    assert Dossier.objects.get().procedure == procedure


@pytest.mark.django_db
def test_ambiguous_procedure_shows_a_clear_error(client, official, procedure, commune_a):
    ProcedureFactory(commune=commune_a, code="1.000894", name="Đăng ký khai sinh lưu động")
    client.force_login(official)
    response = client.post(reverse("staff:desk_receive"), form_data(procedure="khai sinh"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "khớp với nhiều thủ tục" in page
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_receive_form_shows_field_errors_in_vietnamese(client, official, procedure):
    client.force_login(official)
    response = client.post(
        reverse("staff:desk_receive"),
        form_data(applicant_phone="12345", consent_sms="", notify_channel="sms"),
    )
    page = response.content.decode()
    assert "10 chữ số" in page
    assert not Dossier.objects.exists()
    response = client.post(reverse("staff:desk_receive"), form_data(consent_sms=""))
    assert "chưa đồng ý" in response.content.decode()


@pytest.mark.django_db
def test_receipt_is_an_a5_slip_with_the_official_header(client, official, dossier):
    client.force_login(official)
    page = client.get(reverse("staff:dossier_receipt", args=[dossier.pk])).content.decode()
    assert "size: A5" in page
    assert "UBND XÃ AN" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Độc lập - Tự do - Hạnh phúc" in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert dossier.code in page
    assert "Nguyễn Văn An" in page
    assert "Đăng ký khai sinh" in page
    assert "Tờ khai đăng ký khai sinh theo mẫu" in page
    assert "09 giờ 05 phút, ngày 03/03/2025" in page
    assert "ngày 06/03/2025" in page
    assert "Lê Thị Tiếp Nhận" in page


@pytest.mark.django_db
def test_official_of_another_commune_cannot_open_or_move_the_dossier(
    client, make_user, commune_b, dossier
):
    intruder = make_user(Role.COMMUNE_OFFICIAL, commune=commune_b)
    client.force_login(intruder)
    for name in ("staff:dossier_detail", "staff:dossier_receipt"):
        assert client.get(reverse(name, args=[dossier.pk])).status_code == 404
    response = client.post(reverse("staff:dossier_result_ready", args=[dossier.pk]))
    assert response.status_code == 404
    assert dossier.code not in client.get(reverse("staff:dossier_list")).content.decode()
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RECEIVED


@pytest.mark.django_db
def test_province_evaluator_reads_but_cannot_receive_or_move(
    client, make_user, province_p, dossier
):
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    assert client.get(reverse("staff:dossier_detail", args=[dossier.pk])).status_code == 200
    assert client.get(reverse("staff:desk_receive")).status_code == 403
    response = client.post(reverse("staff:dossier_result_ready", args=[dossier.pk]))
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RECEIVED


@pytest.mark.django_db
def test_moves_are_posts_to_their_own_urls(client, official, dossier, commune_a):
    client.force_login(official)
    handler = OfficialFactory(commune=commune_a)
    url = reverse("staff:dossier_handover", args=[dossier.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"handover-to_official": handler.pk, "handover-note": "Thẩm định"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.IN_PROGRESS
    assert dossier.handling_official == handler
    client.post(reverse("staff:dossier_result_ready", args=[dossier.pk]), {"note": ""})
    client.post(reverse("staff:dossier_return", args=[dossier.pk]), {"note": ""})
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RETURNED
    assert set(dossier.events.values_list("actor", flat=True)) == {official.pk}


@pytest.mark.django_db
def test_disallowed_move_shows_the_reason(client, official, dossier):
    client.force_login(official)
    response = client.post(
        reverse("staff:dossier_return", args=[dossier.pk]), {"note": ""}, follow=True
    )
    assert "Không thể “Trả kết quả”" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RECEIVED


@pytest.mark.django_db
def test_detail_offers_only_the_allowed_moves(client, official, dossier):
    client.force_login(official)
    page = client.get(reverse("staff:dossier_detail", args=[dossier.pk])).content.decode()
    assert reverse("staff:dossier_refuse", args=[dossier.pk]) in page
    assert reverse("staff:dossier_return", args=[dossier.pk]) not in page
    assert reverse("staff:dossier_complete_supplement", args=[dossier.pk]) not in page


@pytest.mark.django_db
def test_supplement_with_unlisted_paper_appears_for_the_leader(
    client, official, make_user, commune_a, dossier
):
    client.force_login(official)
    client.post(
        reverse("staff:dossier_request_supplement", args=[dossier.pk]),
        {"supplement-documents": [], "supplement-other_items": "Giấy xác nhận tạm trú"},
    )
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUPPLEMENT
    leader = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    client.force_login(leader)
    page = client.get(reverse("staff:supplement_review_list")).content.decode()
    assert "Giấy xác nhận tạm trú" in page
    supplement = dossier.supplements.get()
    client.post(reverse("staff:supplement_review", args=[supplement.pk]), {"note": "Đã nhắc"})
    supplement.refresh_from_db()
    assert supplement.reviewed_by == leader
    assert (
        "Giấy xác nhận tạm trú"
        not in client.get(reverse("staff:supplement_review_list")).content.decode()
    )


@pytest.mark.django_db
def test_reschedule_from_the_page_and_second_try_refused(client, official, procedure):
    today = timezone.localdate()
    due = workdays.add_working_days(today, 20)
    dossier = DossierFactory(
        commune=procedure.commune, procedure=procedure, due_date=due, receipt_day=today
    )
    client.force_login(official)
    url = reverse("staff:dossier_reschedule", args=[dossier.pk])
    new_date = workdays.add_working_days(due, 5)
    client.post(url, {"reschedule-new_due_date": new_date, "reschedule-reason": "Chờ"})
    dossier.refresh_from_db()
    assert dossier.rescheduled_at is not None
    assert dossier.due_date == new_date
    later = workdays.add_working_days(new_date, 5)
    response = client.post(
        url, {"reschedule-new_due_date": later, "reschedule-reason": "Lần hai"}, follow=True
    )
    assert "chỉ được hẹn lại một lần" in response.content.decode()


def list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staff:dossier_list"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_dossiers(client, official, commune_a):
    client.force_login(official)
    DossierFactory.create_batch(2, commune=commune_a)
    few = list_queries(client)
    for _ in range(3):
        DossierFactory.create_batch(
            4, commune=commune_a, handling_official=OfficialFactory(commune=commune_a)
        )
    assert list_queries(client) == few


@pytest.mark.django_db
def test_list_search_and_filters(client, official, commune_a, dossier):
    DossierFactory(commune=commune_a, applicant_name="Phạm Thị Khác", applicant_phone="0900000001")
    client.force_login(official)
    url = reverse("staff:dossier_list")
    page = client.get(url, {"q": "0912345678"}).content.decode()
    assert dossier.code in page and "Phạm Thị Khác" not in page
    page = client.get(url, {"q": dossier.code}).content.decode()
    assert "Nguyễn Văn An" in page
    page = client.get(url, {"timeliness": "late"}).content.decode()
    assert dossier.code in page  # due 06/03/2025, still open
    page = client.get(url, {"state": "returned"}).content.decode()
    assert dossier.code not in page


@pytest.mark.django_db
def test_admin_shows_dossiers_read_only(client, make_user, commune_a, dossier):
    admin_user = make_user(Role.COMMUNE_ADMIN, commune=commune_a)
    client.force_login(admin_user)
    url = reverse("admin:onestop_dossier_change", args=[dossier.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="state"' not in response.content.decode()
    client.post(url, {"state": "returned"})
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RECEIVED
    assert client.get(reverse("admin:onestop_dossier_add")).status_code == 403
    assert not admin.site._registry[Dossier].has_delete_permission(None)
