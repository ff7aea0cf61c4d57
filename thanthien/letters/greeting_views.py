"""Staff pages of the greetings (S7), under /staff/thu/chuc-mung/.

The list (with "draft the upcoming holidays now"), one greeting (edit, approve, drop, the
loudspeaker schedule of each hamlet), its Zalo/Facebook post and its printable loudspeaker
script. Rows load through the user's communes: another commune's greeting answers 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    error_messages,
    post_decision,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.letters import greeting_selectors as selectors
from thanthien.letters import greeting_services as services
from thanthien.letters.greetings import BroadcastSlot, Greeting
from thanthien.letters.services import APPROVER_ROLES, DRAFTER_ROLES, can_approve
from thanthien.onestop.dossier_selectors import today_local
from thanthien.places.models import Hamlet


class GreetingForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Tiêu đề"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy("Mỗi đoạn cách nhau một dòng trống."),
    )


class SlotForm(forms.Form):
    hamlet = forms.ModelChoiceField(label=gettext_lazy("Thôn"), queryset=Hamlet.objects.none())
    date = forms.DateField(
        label=gettext_lazy("Ngày phát"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    time = forms.TimeField(
        label=gettext_lazy("Giờ phát"), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id)


def _greeting(request, pk: int) -> Greeting:
    queryset = selectors.greetings_for(user=request.user)
    return scoped_or_404(request.user, queryset, pk, perm="letters.view_greeting")


def _detail_url(greeting: Greeting) -> str:
    return reverse("staff:greeting_detail", args=[greeting.pk])


@staff_required()
def greeting_list(request):
    require_perm(request.user, "letters.view_greeting")
    greetings = selectors.greetings_for(user=request.user).order_by("-holiday_date", "-pk")[:100]
    context = {
        "greetings": greetings,
        "can_draft": bool(request.user.commune_id)
        and request.user.has_perm("letters.add_greeting"),
        "days_ahead": services.DAYS_AHEAD,
    }
    return render(request, "letters/greetings/list.html", context)


@staff_required(DRAFTER_ROLES)
def greeting_draft_now(request):
    """Draft the greetings of the coming holidays without waiting for the daily job."""
    require_perm(request.user, "letters.add_greeting")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.commune_id:
        raise Http404
    drafted = services.greetings_draft_upcoming(commune=request.user.commune, today=today_local())
    if drafted:
        messages.success(
            request, _("Đã lập %(count)s dự thảo thư chúc mừng.") % {"count": len(drafted)}
        )
    else:
        messages.info(request, _("Không có ngày lễ nào sắp tới cần lập thêm dự thảo."))
    return redirect("staff:greeting_list")


@staff_required()
def greeting_detail(request, pk: int):
    greeting = _greeting(request, pk)
    is_draft = greeting.state == Greeting.State.DRAFT
    is_approved = greeting.state == Greeting.State.APPROVED
    can_edit = request.user.has_perm("letters.change_greeting")
    context = {
        "greeting": greeting,
        "can_approve": can_approve(request.user)
        and request.user.has_perm("letters.change_greeting"),
        "edit": GreetingForm(initial={"title": greeting.title, "body": greeting.body})
        if is_draft and can_edit
        else None,
        "slot_form": SlotForm(commune_id=greeting.commune_id) if is_approved and can_edit else None,
        "schedule": selectors.broadcast_schedule(greeting),
        "placeholders": services.PLACEHOLDERS,
    }
    return render(request, "letters/greetings/detail.html", context)


@staff_required(DRAFTER_ROLES)
def greeting_edit(request, pk: int):
    greeting = _greeting(request, pk)
    require_perm(request.user, "letters.change_greeting")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = GreetingForm(request.POST)
    if form.is_valid():
        try:
            services.greeting_update(
                actor=request.user,
                greeting=greeting,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo thư chúc mừng."))
            return redirect(_detail_url(greeting))
    context = {
        "greeting": greeting,
        "edit": form,
        "schedule": [],
        "placeholders": services.PLACEHOLDERS,
    }
    return render(request, "letters/greetings/detail.html", context, status=400)


def _decide(request, pk: int, call, done: str):
    greeting = _greeting(request, pk)
    require_perm(request.user, "letters.change_greeting")
    return post_decision(request, call=lambda: call(greeting), done=done, to=_detail_url(greeting))


@staff_required(APPROVER_ROLES)
def greeting_approve(request, pk: int):
    return _decide(
        request,
        pk,
        lambda greeting: services.greeting_approve(actor=request.user, greeting=greeting),
        _("Đã duyệt: thư chúc mừng hiện trên cổng thông tin và có lịch phát thanh."),
    )


@staff_required(APPROVER_ROLES)
def greeting_drop(request, pk: int):
    return _decide(
        request,
        pk,
        lambda greeting: services.greeting_drop(actor=request.user, greeting=greeting),
        _("Đã ghi nhận không gửi thư chúc mừng này."),
    )


@staff_required(DRAFTER_ROLES)
def broadcast_slot_add(request, pk: int):
    greeting = _greeting(request, pk)
    require_perm(request.user, "letters.add_broadcastslot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SlotForm(request.POST, commune_id=greeting.commune_id)
    if form.is_valid():
        try:
            services.broadcast_slot_add(
                actor=request.user,
                greeting=greeting,
                hamlet=form.cleaned_data["hamlet"],
                day=form.cleaned_data["date"],
                at=form.cleaned_data["time"],
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Đã thêm lượt phát thanh."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(_detail_url(greeting) + "#lich-phat")


@staff_required(DRAFTER_ROLES)
def broadcast_slot_delete(request, pk: int):
    queryset = BroadcastSlot.objects.visible_to(request.user).select_related("greeting")
    slot = scoped_or_404(request.user, queryset, pk, perm="letters.delete_broadcastslot")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.broadcast_slot_delete(actor=request.user, slot=slot)
    messages.success(request, _("Đã bỏ lượt phát thanh."))
    return redirect(_detail_url(slot.greeting) + "#lich-phat")


@staff_required()
def greeting_post(request, pk: int):
    """The plain-text post for the commune's Zalo/Facebook page, with its length."""
    greeting = _greeting(request, pk)
    if greeting.state != Greeting.State.APPROVED:
        raise Http404(_("Chỉ thư chúc mừng đã duyệt mới đăng lên mạng xã hội."))
    text = selectors.greeting_post_text(greeting)
    context = {
        "greeting": greeting,
        "text": text,
        "length": len(text),
        "soft_limit": selectors.POST_SOFT_LIMIT,
        "over_limit": len(text) > selectors.POST_SOFT_LIMIT,
    }
    return render(request, "letters/greetings/post.html", context)


@staff_required()
def greeting_script(request, pk: int):
    """The loudspeaker script and each hamlet's broadcast times, on one A4 page."""
    greeting = _greeting(request, pk)
    if greeting.state != Greeting.State.APPROVED:
        raise Http404(_("Chỉ thư chúc mừng đã duyệt mới có kịch bản phát thanh."))
    context = {
        "greeting": greeting,
        "paragraphs": [p for p in greeting.body.split("\n\n") if p.strip()],
        "signature": selectors.signature_lines(greeting),
        "schedule": selectors.broadcast_schedule(greeting),
    }
    return render(request, "letters/greetings/script.html", context)


for _name in (
    "greeting_detail",
    "greeting_edit",
    "greeting_approve",
    "greeting_drop",
    "greeting_slot_add",
    "greeting_post",
    "greeting_script",
):
    register_scoped_view(f"staff:{_name}", Greeting._meta.label)
register_scoped_view("staff:greeting_slot_delete", BroadcastSlot._meta.label)
