"""Reply templates in the admin (per category, the commune's own), and the daily job and the
staff menu that lead to the inbox."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from tests.factories_feedback import ReplyTemplateFactory
from thanthien.feedback.items import ReplyTemplate

pytestmark = pytest.mark.django_db

ADD = "admin:feedback_replytemplate_add"


def test_commune_admin_adds_a_template_for_a_category(client, admin_a, commune_a):
    client.force_login(admin_a)
    response = client.post(
        reverse(ADD),
        {
            "category": "moi_truong",
            "title": "Đã thu gom rác",
            "body": "Kính gửi {name}, về ý kiến {code} ngày {received_date}, {office} đã xử lý.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ReplyTemplate.objects.get()
    assert (template.commune, template.category) == (commune_a, "moi_truong")


def test_a_template_with_an_unknown_placeholder_is_refused(client, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse(ADD),
        {"category": "", "title": "Sai", "body": "Kính gửi {ho_ten}", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "{ho_ten}" in response.content.decode()
    assert not ReplyTemplate.objects.exists()


def test_another_communes_templates_are_not_listed(client, admin_a, commune_b):
    other = ReplyTemplateFactory(commune=commune_b, title="Mẫu của xã khác")
    client.force_login(admin_a)
    page = client.get(reverse("admin:feedback_replytemplate_changelist")).content.decode()
    assert other.title not in page


def test_the_watch_is_a_daily_job():
    path = "thanthien.feedback.watch.feedback_watch"
    assert path in settings.THANTHIEN_DAILY_JOBS
    assert callable(import_string(path))


def test_staff_menu_links_to_the_inbox(client, official):
    client.force_login(official)
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("staff:feedback:inbox") in page
