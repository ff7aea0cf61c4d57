"""Public portal pages of communication (P1, P2): news posts and their Atom feed, the
chairman's current greetings, the friendly-government pledge and its A4 poster.

Posts are plain text: the templates escape them and split paragraphs, and the feed carries
them as escaped text, so HTML typed into a post never becomes markup.
"""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from thanthien.letters import greeting_selectors
from thanthien.onestop.dossier_selectors import today_local
from thanthien.portal import news_selectors as selectors
from thanthien.portal.posts import Post
from thanthien.portal.views import _context, _page_or_404

PAGE_SIZE = 10
FEED_SIZE = 20


def news_list(request, slug: str):
    page = _page_or_404(slug)
    posts = selectors.posts_published(commune=page.commune)
    kinds = dict(Post.Kind.choices)
    kind = request.GET.get("loai", "")
    if kind in kinds:
        posts = posts.filter(kind=kind)
    else:
        kind = ""
    context = _context(
        page,
        "news",
        page_obj=Paginator(posts, PAGE_SIZE).get_page(request.GET.get("trang")),
        kinds=kinds,
        kind=kind,
    )
    return render(request, "portal/news_list.html", context)


def news_detail(request, slug: str, post_slug: str):
    page = _page_or_404(slug)
    post = selectors.post_published(commune=page.commune, slug=post_slug)
    if post is None:
        raise Http404(_("Không có tin bài này."))
    return render(request, "portal/news_detail.html", _context(page, "news", post=post))


class NewsFeed(Feed):
    """The commune's news as an Atom feed (/<slug>/tin-tuc/atom.xml)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return _page_or_404(slug).commune

    def title(self, commune):
        return _("Tin tức — %(commune)s") % {"commune": commune.name}

    def subtitle(self, commune):
        return _("Tin tức, cách làm hay và văn bản của %(commune)s, %(province)s") % {
            "commune": commune.name,
            "province": commune.province.name,
        }

    def link(self, commune):
        return reverse("portal:news_list", args=[commune.slug])

    def items(self, commune):
        return selectors.posts_published(commune=commune)[:FEED_SIZE]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.summary or post.body

    def item_link(self, post):
        return reverse("portal:news_detail", args=[post.commune.slug, post.slug])

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_categories(self, post):
        return [post.get_kind_display()]


def greetings(request, slug: str):
    page = _page_or_404(slug)
    current = greeting_selectors.greetings_current(commune=page.commune, today=today_local())
    rows = [{"greeting": g, "signature": greeting_selectors.signature_lines(g)} for g in current]
    return render(request, "portal/greetings.html", _context(page, "greetings", rows=rows))


def pledge(request, slug: str):
    page = _page_or_404(slug)
    text = selectors.pledge_for(page.commune)
    return render(request, "portal/pledge.html", _context(page, "pledge", pledge=text))


def pledge_poster(request, slug: str):
    page = _page_or_404(slug)
    text = selectors.pledge_for(page.commune)
    return render(request, "portal/pledge_poster.html", _context(page, "pledge", pledge=text))
