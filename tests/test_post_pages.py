"""The leader's staff pages for news posts and the pledge (P1, P2): leaders and the commune
administrator write, officials read, another commune's post answers 404, audit kept."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories_greetings import PostFactory
from tests.test_news import _image
from thanthien.people.roles import Role
from thanthien.portal.posts import Pledge, Post


def _form(**overrides):
    values = {
        "title": "Xã khánh thành nhà văn hoá thôn Đông",
        "kind": Post.Kind.PROGRESS,
        "summary": "Nhà văn hoá mới phục vụ 300 hộ dân.",
        "body": "Sáng nay, xã khánh thành nhà văn hoá.\n\nBà con đã góp công, góp của.",
        "image_alt": "",
        "published_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "publish": "on",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.mark.django_db
def test_a_leader_writes_publishes_and_edits_a_post_that_appears_on_the_portal(
    client, leader_a, commune_a
):
    client.force_login(leader_a)
    response = client.post(reverse("staff:post_new"), _form())
    post = Post.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{post.pk}/")
    assert (post.commune, post.is_published, post.slug) == (
        commune_a,
        True,
        "xa-khanh-thanh-nha-van-hoa-thon-dong",
    )
    public = client.get(reverse("portal:news_list", args=[commune_a.slug])).content.decode()
    assert "Xã khánh thành nhà văn hoá thôn Đông" in public

    # The same title again gets its own address; a draft stays off the portal.
    client.post(reverse("staff:post_new"), _form(publish=None, summary="Bản nháp"))
    draft = Post.objects.exclude(pk=post.pk).get()
    assert draft.slug == "xa-khanh-thanh-nha-van-hoa-thon-dong-2" and not draft.is_published

    client.post(
        reverse("staff:post_edit", args=[post.pk]), _form(title="Tiêu đề mới", publish=None)
    )
    post.refresh_from_db()
    assert post.title == "Tiêu đề mới" and not post.is_published
    assert post.slug == "xa-khanh-thanh-nha-van-hoa-thon-dong"  # the address stays
    assert LogEntry.objects.get_for_object(post).filter(actor=leader_a).count() == 2


@pytest.mark.django_db
def test_a_post_needs_a_title_a_body_and_an_image_description(client, leader_a):
    client.force_login(leader_a)
    page = client.post(reverse("staff:post_new"), _form(title="  ", body=""))
    assert page.status_code == 200 and not Post.objects.exists()
    assert page.content.decode().count('class="msg-error"') == 2  # title and body
    picture = SimpleUploadedFile("anh.png", _image(), content_type="image/png")
    page = client.post(reverse("staff:post_new"), {**_form(), "image": picture})
    assert "Mô tả ảnh" in page.content.decode() and not Post.objects.exists()
    not_a_picture = SimpleUploadedFile("anh.png", b"khong phai anh", content_type="image/png")
    page = client.post(
        reverse("staff:post_new"), {**_form(image_alt="Ảnh"), "image": not_a_picture}
    )
    assert page.status_code == 200 and not Post.objects.exists()


@pytest.mark.django_db
def test_officials_read_the_list_but_cannot_write_and_other_communes_posts_are_hidden(
    client, official, leader_a, commune_a, commune_b, make_user
):
    own = PostFactory(commune=commune_a, title="Tin của xã An", slug="tin-an")
    theirs = PostFactory(commune=commune_b, title="Tin của xã Bình", slug="tin-binh")
    client.force_login(official)
    listing = client.get(reverse("staff:post_list")).content.decode()
    assert "Tin của xã An" in listing and "Tin của xã Bình" not in listing
    assert client.get(reverse("staff:post_new")).status_code == 403
    assert client.post(reverse("staff:post_delete", args=[own.pk])).status_code == 403
    client.force_login(leader_a)
    assert client.get(reverse("staff:post_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("staff:post_delete", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("staff:post_delete", args=[own.pk])).status_code == 302
    assert not Post.objects.filter(pk=own.pk).exists()
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=commune_a.province)
    client.force_login(evaluator)
    assert client.get(reverse("staff:post_new")).status_code == 403


@pytest.mark.django_db
def test_list_is_filtered_and_paginated_with_a_fixed_number_of_queries(
    client, leader_a, commune_a, django_assert_max_num_queries
):
    for n in range(35):
        PostFactory(commune=commune_a, title=f"Tin số {n}", slug=f"tin-{n}", is_published=n % 2)
    client.force_login(leader_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("staff:post_list"), {"published": "0"}).content.decode()
    assert "Tin số 0" in page and "Tin số 1<" not in page
    assert "Trang 1 / 1" not in page  # 18 drafts fit one page: no pager
    assert "Trang 1 / 2" in client.get(reverse("staff:post_list")).content.decode()


@pytest.mark.django_db
def test_a_leader_rewords_the_pledge_and_the_poster_prints_it(client, leader_a, commune_a):
    client.force_login(leader_a)
    form = client.get(reverse("staff:pledge_edit")).content.decode()
    assert "bản cam kết mẫu" in form  # the default wording is offered to start from
    empty = client.post(reverse("staff:pledge_edit"), {"title": "Cam kết", "items": " \n "})
    assert empty.status_code == 200 and not Pledge.objects.exists()
    client.post(
        reverse("staff:pledge_edit"),
        {
            "title": "Xã Kiến Minh cam kết",
            "intro": "Chúng tôi xin cam kết:",
            "items": "Đúng hẹn với dân\r\n\r\nTận tình hướng dẫn",
        },
    )
    pledge = Pledge.objects.get(commune=commune_a)
    assert pledge.item_lines() == ["Đúng hẹn với dân", "Tận tình hướng dẫn"]
    poster = client.get(reverse("portal:pledge_poster", args=[commune_a.slug])).content.decode()
    assert "Xã Kiến Minh cam kết" in poster and "Tận tình hướng dẫn" in poster
