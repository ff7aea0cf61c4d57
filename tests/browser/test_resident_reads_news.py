"""A resident on a cheap phone reads the commune's news and its friendly-government pledge."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width, link_labelled
from thanthien.core.demo import DEMO_COMMUNE_CODE
from thanthien.places.models import Commune
from thanthien.portal.posts import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kien_minh(transactional_db) -> Commune:
    call_command("load_demo", stdout=StringIO())
    return Commune.objects.get(code=DEMO_COMMUNE_CODE)


def test_resident_reads_a_news_post_and_the_pledge_on_a_phone(
    live_server, kien_minh, page, assert_accessible, artifacts
):
    post = Post.objects.filter(commune=kien_minh, is_published=True).latest("published_at")

    page.goto(f"{live_server.url}/{kien_minh.slug}/")
    link_labelled(page, "Tin tức").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_fits_phone_width(page)
    assert_accessible(page)

    link_labelled(page, post.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(post.title)
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "news-post-360.png"), full_page=True)

    page.goto(f"{live_server.url}/{kien_minh.slug}/")
    link_labelled(page, "Cam kết chính quyền thân thiện").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_fits_phone_width(page)
    assert_accessible(page)
