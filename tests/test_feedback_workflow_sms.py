"""Residents rate an answer by SMS reply: the provider calls our address over real HTTP with
"<code> 1" or "<code> 2 <reason>"; a wrong secret or another phone changes nothing."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.factories_feedback_handling import staff, submit
from thanthien.feedback import workflow_services as services
from thanthien.feedback.items import FeedbackItem
from thanthien.feedback.sms_reply import sms_rating_parse
from thanthien.people.roles import Role

SECRET = "bi-mat-sms-tra-loi"


def call(live_server, secret: str, params: dict, *, method: str = "GET"):
    url = f"{live_server.url}/gop-y/sms-tra-loi/{secret}/"
    data = None
    if method == "GET":
        url += "?" + urllib.parse.urlencode(params)
    else:
        data = urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (http only)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def answered_item(transactional_db, commune_a, settings):
    settings.THANTHIEN_FEEDBACK_SMS_REPLY_SECRET = SECRET
    leader = staff(commune_a, Role.COMMUNE_LEADER, phone="0987000999")
    handler = staff(commune_a)
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=item, answer="Xã đã cho sửa xong đèn đường.")
    return item


def test_parse_sms_replies():
    assert sms_rating_parse("PA-11725-26-00042 1").satisfied is True
    parsed = sms_rating_parse("gy pa-11725-26-00042 2 Đèn vẫn chưa sáng")
    assert (parsed.code, parsed.satisfied, parsed.reason) == (
        "PA-11725-26-00042",
        False,
        "Đèn vẫn chưa sáng",
    )
    assert sms_rating_parse("PA-11725-26-00042 khong hai long") is not None
    # Whole phrases, with or without diacritics, and the reason after a phrase.
    for text in (
        "PA-11725-26-00042 hai long",
        "PA-11725-26-00042 Hài lòng",
        "PA-11725-26-00042 đồng ý",
    ):
        assert sms_rating_parse(text).satisfied is True, text
    parsed = sms_rating_parse("PA-11725-26-00042 Không hài lòng, đèn vẫn tắt")
    assert (parsed.satisfied, parsed.reason) == (False, "đèn vẫn tắt")
    parsed = sms_rating_parse("PA-11725-26-00042 chua hai long")
    assert (parsed.satisfied, parsed.reason) == (False, "")
    assert sms_rating_parse("PA-11725-26-00042 hailong") is None
    assert sms_rating_parse("PA-11725-26-00042") is None
    assert sms_rating_parse("xin chao") is None


def test_esms_mo_get_with_the_senders_phone_rates_the_answer(live_server, answered_item):
    status, body = call(
        live_server,
        SECRET,
        {
            "sender": "84912345678",
            "content": f"{answered_item.code} 2 Moi sua mot bong, con hai bong hong",
            "smsid": "mo-1",
            "serviceNumber": "8079",
        },
    )
    assert (status, body) == (200, {"ok": True, "result": "rated"})
    answered_item.refresh_from_db()
    assert answered_item.satisfied is False
    assert answered_item.rating_reason == "Moi sua mot bong, con hai bong hong"
    assert answered_item.events.filter(action="rate", note__endswith="(sms)").exists()


def test_posted_form_reply_rates_satisfied(live_server, answered_item):
    status, body = call(
        live_server,
        SECRET,
        {"from": "0912345678", "text": f"{answered_item.code} 1"},
        method="POST",
    )
    assert (status, body["ok"]) == (200, True)
    assert FeedbackItem.objects.get(pk=answered_item.pk).satisfied is True


def test_wrong_secret_or_another_phone_changes_nothing(live_server, answered_item):
    params = {"sender": "84912345678", "content": f"{answered_item.code} 1"}
    assert call(live_server, "sai-bi-mat", params)[0] == 403
    status, body = call(
        live_server, SECRET, {"sender": "84900000000", "content": f"{answered_item.code} 1"}
    )
    assert (status, body["result"]) == (200, "unknown_item")
    status, body = call(live_server, SECRET, {"sender": "84912345678", "content": "cam on"})
    assert body["result"] == "not_a_rating"
    assert FeedbackItem.objects.get(pk=answered_item.pk).rated_at is None


def test_no_secret_configured_refuses_every_call(live_server, answered_item, settings):
    settings.THANTHIEN_FEEDBACK_SMS_REPLY_SECRET = ""
    params = {"sender": "84912345678", "content": f"{answered_item.code} 1"}
    assert call(live_server, "x", params)[0] == 403
