"""The leader's pages for news posts and the pledge (P1, P2), under /staff/tin-bai/.

Leaders and the commune administrator write; officials of the commune and the Front read the
list. Another commune's post answers 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.core.tenancy import scope
from thanthien.portal import post_services as services
from thanthien.portal.news_selectors import pledge_for
from thanthien.portal.post_forms import PledgeForm, PostFilterForm, PostForm
from thanthien.portal.posts import Post

PAGE_SIZE = 30


def _own_commune(request):
    commune = request.user.commune
    if commune is None:
        messages.error(request, _("Trang này dành cho cán bộ của một xã."))
    return commune


@staff_required()
def post_list(request):
    require_perm(request.user, "portal.view_post")
    form = PostFilterForm(request.GET or None)
    posts = scope(Post.objects.select_related("commune"), request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            posts = posts.filter(Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"]))
        if data["kind"]:
            posts = posts.filter(kind=data["kind"])
        if data["published"]:
            posts = posts.filter(is_published=data["published"] == "1")
    page = Paginator(posts.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "can_write": services.can_write(request.user)}
    return render(request, "portal/staff/post_list.html", context)


def _save(request, form: PostForm, post: Post | None):
    data = {k: v for k, v in form.cleaned_data.items() if k != "publish"}
    if data.get("image") is False:  # "clear" ticked on the file input
        data["image"] = ""
    elif data.get("image") is None:
        data.pop("image")
    return services.post_save(
        actor=request.user,
        commune=post.commune if post else request.user.commune,
        post=post,
        publish=form.cleaned_data["publish"],
        **data,
    )


@staff_required(services.WRITER_ROLES)
def post_new(request):
    require_perm(request.user, "portal.add_post")
    if _own_commune(request) is None:
        return redirect("staff:post_list")
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = _save(request, form, None)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu tin “%(title)s”.") % {"title": post.title})
            return redirect("staff:post_edit", pk=post.pk)
    return render(request, "portal/staff/post_form.html", {"form": form, "post": None})


@staff_required(services.WRITER_ROLES)
def post_edit(request, pk: int):
    posts = scope(Post.objects.select_related("commune"), request.user)
    post = scoped_or_404(request.user, posts, pk, perm="portal.change_post")
    form = PostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            post = _save(request, form, post)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu tin “%(title)s”.") % {"title": post.title})
            return redirect("staff:post_edit", pk=post.pk)
    return render(request, "portal/staff/post_form.html", {"form": form, "post": post})


@staff_required(services.WRITER_ROLES)
def post_delete(request, pk: int):
    post = scoped_or_404(
        request.user, scope(Post.objects.all(), request.user), pk, perm="portal.delete_post"
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    title = post.title
    services.post_delete(actor=request.user, post=post)
    messages.success(request, _("Đã xoá tin “%(title)s”.") % {"title": title})
    return redirect("staff:post_list")


@staff_required(services.WRITER_ROLES)
def pledge_edit(request):
    require_perm(request.user, "portal.change_pledge")
    commune = _own_commune(request)
    if commune is None:
        return redirect("staff:post_list")
    current = pledge_for(commune)
    initial = {"title": current.title, "intro": current.intro, "items": "\n".join(current.items)}
    form = PledgeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_save(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu bản cam kết của xã."))
            return redirect("staff:pledge_edit")
    context = {"form": form, "commune": commune, "is_default": current.is_default}
    return render(request, "portal/staff/pledge_form.html", context)


for _name in ("post_edit", "post_delete"):
    register_scoped_view(f"staff:{_name}", Post._meta.label)
