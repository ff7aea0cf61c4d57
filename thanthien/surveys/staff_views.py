"""Staff pages of ratings, under /staff/danh-gia/: the list (an official sees their own, a
leader everyone's), signing a counter's kiosk in and signing it out."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thanthien.core.staff import (
    error_messages,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.people.models import Official
from thanthien.surveys import rating_selectors as selectors
from thanthien.surveys import rating_services as services
from thanthien.surveys.models import SCORE_KEYS, KioskSession, Rating, Score
from thanthien.surveys.public_views import KIOSK_COOKIE

register_scoped_view("staff:kiosk_sign_out", "surveys.KioskSession")

PAGE_SIZE = 50
KIOSK_COOKIE_AGE = 365 * 24 * 3600


class RatingFilterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kênh"), required=False, choices=[("", _("Tất cả")), *Rating.Channel.choices]
    )
    score = forms.TypedChoiceField(
        label=_("Mức hài lòng với dịch vụ"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *Score.choices],
    )


@staff_required()
def rating_list(request):
    require_perm(request.user, "surveys.view_rating")
    form = RatingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RatingFilters(channel=data.get("channel") or "", score=data.get("score"))
    ratings = selectors.ratings_list(request.user, filters=filters)
    counts = selectors.score_counts(ratings)
    total = sum(counts.values())
    context = {
        "form": form,
        "page": Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("page")),
        "counts": [(score.label, counts[SCORE_KEYS[score]]) for score in Score],
        "total": total,
        "own_only": selectors.own_only(request.user),
    }
    return render(request, "surveys/staff/ratings.html", context)


class KioskSignInForm(forms.Form):
    counter = forms.ModelChoiceField(label=_("Quầy"), queryset=None)
    official = forms.ModelChoiceField(label=_("Cán bộ trực quầy"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter"].queryset = selectors.counters_visible_to(user).filter(is_active=True)
        self.fields["official"].queryset = (
            Official.objects.visible_to(user).filter(is_active=True).select_related("position")
        )
        if getattr(user, "official_id", None):
            self.fields["official"].initial = user.official_id


@staff_required(services.KIOSK_ROLES)
def kiosk_sign_in(request):
    require_perm(request.user, "surveys.add_kiosksession")
    form = KioskSignInForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session, token = services.kiosk_sign_in(
                actor=request.user,
                counter=form.cleaned_data["counter"],
                official=form.cleaned_data["official"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = redirect(reverse("surveys:kiosk", args=[session.counter_id]))
            response.set_cookie(
                KIOSK_COOKIE,
                token,
                max_age=KIOSK_COOKIE_AGE,
                path="/kiosk/",
                secure=request.is_secure(),
                httponly=True,
                samesite="Strict",
            )
            return response
    context = {
        "form": form,
        "counters": form.fields["counter"].queryset,
        "reset_seconds": settings.THANTHIEN_KIOSK_RESET_SECONDS,
        "open_sessions": selectors.open_kiosk_sessions(request.user),
    }
    return render(request, "surveys/staff/kiosk_sign_in.html", context)


@staff_required(services.KIOSK_ROLES)
def kiosk_sign_out(request, pk: int):
    """The official on duty (or the commune's leader or admin) ends a kiosk session: GET
    asks to confirm, POST ends it. Reached from the kiosk's own screen and from the list of
    open kiosks on the sign-in page."""
    session = scoped_or_404(
        request.user,
        KioskSession.objects.visible_to(request.user).select_related("counter", "official"),
        pk,
        perm="surveys.change_kiosksession",
    )
    if not services.kiosk_can_sign_out(request.user, session):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.kiosk_sign_out(actor=request.user, session=session)
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(
                request,
                gettext("Đã kết thúc phiên máy đánh giá tại quầy %(counter)s.")
                % {"counter": session.counter},
            )
        response = redirect("staff:kiosk_sign_in")
        # The device token is useless now; drop it from this browser if it is the kiosk.
        response.delete_cookie(KIOSK_COOKIE, path="/kiosk/", samesite="Strict")
        return response
    return render(request, "surveys/staff/kiosk_sign_out.html", {"session": session})
