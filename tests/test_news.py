"""News posts on the portal (P1) with their Atom feed, and the printable posters (P2)."""

import io
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories_greetings import PledgeFactory, PostFactory
from thanthien.portal.posts import Post

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts(commune_a, commune_b):
    now = timezone.now()
    return {
        "news": PostFactory(
            commune=commune_a,
            title="Xã hoàn thành đường liên thôn",
            slug="duong-lien-thon",
            published_at=now - timedelta(days=2),
        ),
        "practice": PostFactory(
            commune=commune_a,
            title="Cách làm hay ở bộ phận một cửa",
            slug="cach-lam-hay",
            kind=Post.Kind.GOOD_PRACTICE,
            published_at=now - timedelta(days=1),
        ),
        "hidden": PostFactory(
            commune=commune_a, title="Bản nháp chưa đăng", slug="ban-nhap", is_published=False
        ),
        "future": PostFactory(
            commune=commune_a,
            title="Tin hẹn giờ đăng",
            slug="hen-gio",
            published_at=now + timedelta(days=3),
        ),
        "other": PostFactory(commune=commune_b, title="Tin của xã khác", slug="tin-xa-khac"),
    }


def test_public_list_shows_published_posts_of_the_commune_only(
    client, commune_a, posts, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:news_list", args=[commune_a.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Cách làm hay ở bộ phận một cửa") < page.index("Xã hoàn thành đường")
    for hidden in ("Bản nháp chưa đăng", "Tin hẹn giờ đăng", "Tin của xã khác"):
        assert hidden not in page
    assert reverse("portal:news_feed", args=[commune_a.slug]) in page
    only = client.get(reverse("portal:news_list", args=[commune_a.slug]), {"loai": "good_practice"})
    assert "Cách làm hay" in only.content.decode()
    assert "đường liên thôn" not in only.content.decode()
    home = client.get(reverse("portal:commune_home", args=[commune_a.slug])).content.decode()
    assert reverse("portal:news_list", args=[commune_a.slug]) in home


def test_list_is_paginated(client, commune_a):
    for n in range(12):
        PostFactory(
            commune=commune_a,
            title=f"Tin phân trang {n:02d}",
            slug=f"tin-{n}",
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
    url = reverse("portal:news_list", args=[commune_a.slug])
    first = client.get(url).content.decode()
    second = client.get(url, {"trang": 2}).content.decode()
    assert "Tin phân trang 00" in first and "Tin phân trang 11" not in first
    assert "Tin phân trang 11" in second and "Tin phân trang 00" not in second
    assert "trang=2" in first


def test_detail_shows_paragraphs_and_hides_unpublished(client, commune_a, commune_b, posts):
    url = reverse("portal:news_detail", args=[commune_a.slug, "duong-lien-thon"])
    page = client.get(url).content.decode()
    assert "<p>Đoạn thứ nhất.</p>" in page and "<p>Đoạn thứ hai.</p>" in page
    for slug in ("ban-nhap", "hen-gio"):
        assert (
            client.get(reverse("portal:news_detail", args=[commune_a.slug, slug])).status_code
            == 404
        )
    # Another commune's post is not reachable under this commune's address.
    other = reverse("portal:news_detail", args=[commune_a.slug, "tin-xa-khac"])
    assert client.get(other).status_code == 404


def test_html_typed_into_a_post_is_escaped(client, commune_a):
    PostFactory(
        commune=commune_a,
        slug="thu-html",
        title="Tiêu đề <script>alert(1)</script>",
        summary="Tóm tắt <b>đậm</b>",
        body="Đoạn <img src=x onerror=alert(1)>\n\nHết.",
    )
    detail = client.get(reverse("portal:news_detail", args=[commune_a.slug, "thu-html"]))
    page = detail.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    listing = client.get(reverse("portal:news_list", args=[commune_a.slug])).content.decode()
    assert "<b>đậm</b>" not in listing and "&lt;b&gt;đậm&lt;/b&gt;" in listing


def test_atom_feed_is_valid_xml_with_the_published_entries(client, commune_a, posts):
    PostFactory(commune=commune_a, slug="co-the", title="Dấu <và> & ký tự lạ", summary="A < B & C")
    response = client.get(reverse("portal:news_feed", args=[commune_a.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 — our own output
    assert root.tag == f"{ATOM}feed"
    assert commune_a.name in root.find(f"{ATOM}title").text
    entries = root.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles == [
        "Dấu <và> & ký tự lạ",
        "Cách làm hay ở bộ phận một cửa",
        "Xã hoàn thành đường liên thôn",
    ]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert f"/{commune_a.slug}/tin-tuc/" in link
    assert entries[0].find(f"{ATOM}summary").text == "A < B & C"
    assert client.get(reverse("portal:news_feed", args=["khong-co-xa"])).status_code == 404


def _image(kind: str = "PNG", size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, kind)
    return buffer.getvalue()


def test_post_image_type_and_size_are_checked(commune_a):
    post = PostFactory.build(commune=commune_a, slug="anh")
    post.image = SimpleUploadedFile("anh.png", _image(), content_type="image/png")
    post.full_clean()
    post.image = SimpleUploadedFile("anh.png", b"khong phai anh", content_type="image/png")
    with pytest.raises(ValidationError):
        post.full_clean()
    post.image = SimpleUploadedFile("anh.gif", _image("GIF"), content_type="image/gif")
    with pytest.raises(ValidationError):
        post.full_clean()
    big = SimpleUploadedFile("to.png", b"0" * (3 * 1024 * 1024 + 1), content_type="image/png")
    post.image = big
    with pytest.raises(ValidationError) as caught:
        post.full_clean()
    assert "3 MB" in str(caught.value)


def test_commune_admin_edits_posts_in_the_admin_of_its_commune_only(
    client, admin_a, commune_a, posts
):
    client.force_login(admin_a)
    listing = client.get(reverse("admin:portal_post_changelist")).content.decode()
    assert "Xã hoàn thành đường liên thôn" in listing and "Tin của xã khác" not in listing
    other = reverse("admin:portal_post_change", args=[posts["other"].pk])
    assert client.get(other).status_code == 404


# --- posters (P2) ----------------------------------------------------------------------------


def test_pledge_poster_default_then_the_communes_own(client, commune_a, commune_b):
    url = reverse("portal:pledge_poster", args=[commune_a.slug])
    page = client.get(url).content.decode()
    assert "Cam kết xây dựng chính quyền thân thiện" in page
    assert f"Ủy ban nhân dân {commune_a.name} cam kết" in page
    assert "Giải quyết hồ sơ đúng hẹn" in page
    assert "print.css" in page
    PledgeFactory(commune=commune_a, title="Lời hứa của xã An", items="Một dòng\n\nHai <b>dòng</b>")
    page = client.get(url).content.decode()
    assert "Lời hứa của xã An" in page and "<li>Một dòng</li>" in page
    assert "<li>Hai &lt;b&gt;dòng&lt;/b&gt;</li>" in page
    assert (
        "Lời hứa của xã An"
        not in client.get(reverse("portal:pledge_poster", args=[commune_b.slug])).content.decode()
    )
    public = client.get(reverse("portal:pledge", args=[commune_a.slug])).content.decode()
    assert url in public


def test_conduct_poster_is_still_printed(client, commune_a):
    page = client.get(reverse("portal:conduct_poster", args=[commune_a.slug])).content.decode()
    assert "4 xin · 4 luôn · 5 không" in page
