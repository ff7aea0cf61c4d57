"""Citizen reception pages.

Public (no sign-in, no JavaScript): book a place in one of the chairman's coming reception
slots, see the booking by its code (phone masked) and cancel it with the last 4 digits of
the phone. Booking and cancelling are rate-limited per client address; each form carries a
token, so a double click books once.

Staff, under /staff/gop-y/tiep-cong-dan/: the week's slots with their bookings (booking by
phone, cancel, no-show, receive), the reception register with search, year filter, XLSX
export and an A4 landscape print, a new visit (from a booking or a walk-in) and one visit.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from thanthien.core import ratelimit, tenancy
from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    download_response,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.core.tabular import (
    XLSX_CONTENT_TYPE,
    append_text_row,
    start_sheet,
    workbook_bytes,
)
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback import complaint_selectors, complaint_services
from thanthien.feedback import reception_selectors as selectors
from thanthien.feedback import reception_services as services
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit
from thanthien.feedback.reception_forms import (
    PhoneBookingForm,
    PublicBookingForm,
    RegisterFilterForm,
    ResidentCancelForm,
    StaffCancelForm,
    VisitForm,
)
from thanthien.onestop.dossiers import mask_phone
from thanthien.portal import selectors as portal_selectors

BOOK_SCOPE = "reception-book"
CANCEL_SCOPE = "reception-cancel"
PAGE_SIZE = 50


def _today() -> date:
    return timezone.localdate()


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _commune_page_or_404(slug: str):
    page = portal_selectors.commune_public_page(slug)
    if page is None:
        raise Http404(_("Không có xã, phường nào ở địa chỉ này."))
    return page


# --- public booking ---------------------------------------------------------------------------


def _book_page(request, page, form, options, *, status: int = 200, **extra):
    context = {
        "commune": page.commune,
        "profile": page.profile,
        "section": "reception",
        "form": form,
        "options": options,
        "weeks": settings.THANTHIEN_RECEPTION_BOOKING_WEEKS,
        **extra,
    }
    return _private(render(request, "feedback/reception/book.html", context, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reception_book(request, slug: str):
    page = _commune_page_or_404(slug)
    commune = page.commune
    options = selectors.bookable(commune.pk, now=timezone.now())
    if request.method != "POST":
        form = PublicBookingForm(
            commune_id=commune.pk,
            options=options,
            initial={"token": secrets.token_urlsafe(16), "group_size": 1},
        )
        return _book_page(request, page, form, options)
    form = PublicBookingForm(request.POST, commune_id=commune.pk, options=options)
    verdict = ratelimit.hit(request, scope=BOOK_SCOPE, rate=settings.THANTHIEN_FEEDBACK_RATE)
    if not verdict.allowed:
        minutes = max(1, -(-verdict.retry_after // 60))
        response = _book_page(
            request, page, form, options, status=429, limited=True, retry_minutes=minutes
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    if form.is_valid():
        if form.cleaned_data["website"]:
            form.add_error(None, _("Không gửi được; xin thử lại."))
            return _book_page(request, page, form, options, status=400)
        data = form.cleaned_data
        try:
            booked = services.booking_create(
                commune=commune,
                slot_value=data["slot"],
                name=data["name"],
                phone=data["phone"],
                matter=data["matter"],
                hamlet=data["hamlet"],
                address=data["address"],
                group_size=data["group_size"],
                consent_sms=data["consent_sms"],
                idempotency_key=data["token"],
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            url = reverse("feedback:reception_booked", kwargs={"code": booked.booking.code})
            response = redirect(url)
            response.status_code = 303
            return response
    return _book_page(request, page, form, options, status=400)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reception_booked(request, code: str):
    booking = selectors.booking_by_code(code)
    if booking is None:
        raise Http404(_("Không có lịch hẹn với mã này."))
    page = _commune_page_or_404(booking.commune.slug)
    form = ResidentCancelForm(request.POST or None)
    status = 200
    if request.method == "POST":
        verdict = ratelimit.hit(request, scope=CANCEL_SCOPE, rate=settings.THANTHIEN_LOOKUP_RATE)
        if not verdict.allowed:
            form.add_error(None, _("Thử quá nhiều lần; xin đợi ít phút rồi thử lại."))
            status = 429
        elif form.is_valid():
            try:
                services.booking_cancel_by_resident(
                    code=booking.code, phone_last4=form.cleaned_data["phone_last4"]
                )
            except ValidationError as error:
                errors_into(form, error)
                status = 400
            else:
                messages.success(request, _("Đã huỷ lịch hẹn."))
                return redirect("feedback:reception_booked", code=booking.code)
        else:
            status = 400
    context = {
        "commune": page.commune,
        "profile": page.profile,
        "section": "reception",
        "booking": booking,
        "masked_phone": mask_phone(booking.phone),
        "place": booking.slot.place or (page.profile.reception_place if page.profile else ""),
        "form": form,
    }
    return _private(render(request, "feedback/reception/booked.html", context, status=status))


# --- staff: the week's bookings ---------------------------------------------------------------


def _commune_or_404(request):
    commune = getattr(request.user, "commune", None)
    if commune is None:
        raise Http404
    return commune


def _monday(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("tuan", ""))
    except ValueError:
        day = _today()
    return selectors.week_start(day)


def _week_page(request, commune, monday: date, phone_form=None, status: int = 200, communes=()):
    can_keep = services.can_keep(request.user, commune.pk)
    options = selectors.bookable(commune.pk, now=timezone.now())
    if can_keep and phone_form is None:
        phone_form = PhoneBookingForm(
            commune_id=commune.pk, options=options, initial={"group_size": 1}
        )
    context = {
        "commune": commune,
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "slot_dates": selectors.week_view(commune.pk, monday=monday),
        "days_warning": selectors.reception_days_warning(commune.pk),
        "phone_form": phone_form if can_keep else None,
        "can_keep": can_keep,
        "today": _today(),
        "communes": communes,
        "commune_query": f"&xa={commune.pk}" if communes else "",
    }
    return render(request, "feedback/reception/week.html", context, status=status)


@staff_required()
def reception(request):
    require_perm(request.user, "feedback.view_receptionbooking")
    if getattr(request.user, "commune", None) is not None:
        return _week_page(request, request.user.commune, _monday(request))
    # A province user reads one commune of their province at a time (?xa=<id>).
    communes = list(tenancy.visible_communes(request.user).order_by("name"))
    chosen = next((c for c in communes if str(c.pk) == request.GET.get("xa", "")), None)
    chosen = chosen or next(iter(communes), None)
    if chosen is None:
        raise Http404
    return _week_page(request, chosen, _monday(request), communes=communes)


@staff_required(services.STAFF_ROLES)
def reception_book_phone(request):
    require_perm(request.user, "feedback.add_receptionbooking")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    commune = _commune_or_404(request)
    options = selectors.bookable(commune.pk, now=timezone.now())
    form = PhoneBookingForm(request.POST, commune_id=commune.pk, options=options)
    if form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.booking_create(
                commune=commune,
                slot_value=data["slot"],
                name=data["name"],
                phone=data["phone"],
                matter=data["matter"],
                hamlet=data["hamlet"],
                address=data["address"],
                group_size=data["group_size"],
                consent_sms=data["consent_sms"],
                source=data["source"],
                actor=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            booking = booked.booking
            if booked.created:
                messages.success(
                    request,
                    _("Đã đặt lịch %(code)s: ngày %(date)s, số thứ tự %(position)s.")
                    % {
                        "code": booking.code,
                        "date": f"{booking.date:%d/%m/%Y}",
                        "position": booking.position,
                    },
                )
            else:
                messages.info(
                    request,
                    _("Người này đã có lịch %(code)s cho buổi đó.") % {"code": booking.code},
                )
            url = reverse("staff:feedback:reception")
            return redirect(f"{url}?{urlencode({'tuan': booking.date.isoformat()})}")
    messages.error(request, _("Chưa đặt được lịch: xem lỗi ở biểu mẫu."))
    return _week_page(request, commune, _monday(request), phone_form=form, status=400)


def _booking(request, pk: int) -> ReceptionBooking:
    return scoped_or_404(
        request.user,
        selectors.bookings_for(user=request.user),
        pk,
        perm="feedback.change_receptionbooking",
    )


def _back_to_week(booking: ReceptionBooking):
    url = reverse("staff:feedback:reception")
    return redirect(f"{url}?{urlencode({'tuan': booking.date.isoformat()})}")


@staff_required(services.STAFF_ROLES)
def reception_booking_cancel(request, pk: int):
    booking = _booking(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StaffCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ghi lý do huỷ lịch."))
        return _back_to_week(booking)
    try:
        services.booking_cancel(actor=request.user, booking=booking, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã huỷ lịch %(code)s.") % {"code": booking.code})
    return _back_to_week(booking)


@staff_required(services.STAFF_ROLES)
def reception_booking_no_show(request, pk: int):
    booking = _booking(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.booking_mark_no_show(actor=request.user, booking=booking, today=_today())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ghi: không đến."))
    return _back_to_week(booking)


# --- staff: the register ----------------------------------------------------------------------


def _filtered_visits(request):
    years = selectors.register_years(user=request.user)
    form = RegisterFilterForm(request.GET or None, years=years)
    query, year = "", None
    if form.is_valid():
        query, year = form.cleaned_data["q"], form.cleaned_data["year"]
    return form, year, selectors.visit_list(user=request.user, query=query, year=year)


@staff_required()
def reception_register(request):
    require_perm(request.user, "feedback.view_receptionvisit")
    form, _year, visits = _filtered_visits(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.mask_visits(list(page.object_list), request.user)
    commune_id = getattr(request.user, "commune_id", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_keep": services.can_keep(request.user, commune_id),
    }
    return render(request, "feedback/reception/register.html", context)


REGISTER_HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Ngày tiếp"),
    gettext_lazy("Họ tên"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Số căn cước"),
    gettext_lazy("Số người"),
    gettext_lazy("Loại việc"),
    gettext_lazy("Nội dung"),
    gettext_lazy("Người tiếp"),
    gettext_lazy("Hướng xử lý"),
    gettext_lazy("Việc đã mở"),
    gettext_lazy("Ghi chú"),
)
REGISTER_WIDTHS = (8, 16, 24, 30, 16, 8, 18, 48, 24, 28, 22, 30)


def _address(visit: ReceptionVisit) -> str:
    parts = [visit.citizen_address, visit.hamlet.name if visit.hamlet else ""]
    return ", ".join(part for part in parts if part)


def _opened(visit: ReceptionVisit) -> str:
    if visit.feedback_item is not None:
        return visit.feedback_item.code
    if visit.dossier is not None:
        return visit.dossier.code
    return ""


@staff_required()
def reception_register_export(request):
    require_perm(request.user, "feedback.view_receptionvisit")
    _form, year, visits = _filtered_visits(request)
    workbook = Workbook()
    sheet = start_sheet(
        workbook,
        _("Sổ tiếp công dân"),
        [str(header) for header in REGISTER_HEADERS],
        REGISTER_WIDTHS,
    )
    for visit in selectors.mask_visits(list(visits.order_by("year", "number")), request.user):
        append_text_row(
            sheet,
            [
                f"{visit.number}/{visit.year}",
                f"{visit.visited_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}",
                visit.citizen_name,
                _address(visit),
                visit.citizen_id_number,
                visit.group_size,
                visit.get_kind_display(),
                visit.matter,
                visit.received_by.full_name,
                visit.get_outcome_display(),
                _opened(visit),
                visit.outcome_note,
            ],
        )
    filename = f"so-tiep-cong-dan-{year or _today().year}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


@staff_required()
def reception_register_print(request):
    require_perm(request.user, "feedback.view_receptionvisit")
    _form, year, visits = _filtered_visits(request)
    commune = getattr(request.user, "commune", None)
    context = {
        "visits": selectors.mask_visits(list(visits.order_by("year", "number")), request.user),
        "year": year,
        "commune": commune,
        "today": _today(),
        "query": request.GET.urlencode(),
    }
    return render(request, "feedback/reception/register_print.html", context)


def _visit_initial(request, commune) -> tuple[dict, ReceptionBooking | None]:
    now = timezone.now().astimezone(LOCAL_TZ).replace(second=0, microsecond=0)
    initial = {"visited_at": now, "group_size": 1}
    official = getattr(request.user, "official", None)
    if official is not None and official.commune_id == commune.pk:
        initial["received_by"] = official.pk
    booking = None
    booking_pk = request.GET.get("booking", "")
    if booking_pk.isdigit():
        booking = selectors.bookings_for(user=request.user).filter(pk=int(booking_pk)).first()
        if booking is None:
            raise Http404
        initial.update(
            citizen_name=booking.name,
            citizen_phone=booking.phone,
            citizen_address=booking.address,
            hamlet=booking.hamlet_id,
            group_size=booking.group_size,
            matter=booking.matter,
            received_by=booking.slot.host_id,
            is_scheduled_session=True,
        )
    return initial, booking


@staff_required(services.STAFF_ROLES)
def reception_visit_new(request):
    require_perm(request.user, "feedback.add_receptionvisit")
    commune = _commune_or_404(request)
    initial, booking = _visit_initial(request, commune)
    form = VisitForm(request.POST or None, initial=initial, commune_id=commune.pk)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_record(
                actor=request.user, commune=commune, booking=booking, **form.cleaned_data
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request,
                _("Đã ghi vào sổ tiếp công dân, số %(number)s/%(year)s.")
                % {"number": visit.number, "year": visit.year},
            )
            if form.cleaned_data["opens"] == services.OPEN_COMPLAINT:
                if complaint_services.can_handle(request.user, commune.pk):
                    url = reverse("staff:feedback:complaint_new")
                    return redirect(f"{url}?{urlencode({'from_visit': visit.pk})}")
                messages.info(
                    request,
                    _("Lãnh đạo xã sẽ vào sổ đơn khiếu nại, tố cáo từ lượt tiếp này."),
                )
            return redirect("staff:feedback:reception_visit", pk=visit.pk)
    context = {"form": form, "booking": booking}
    return render(request, "feedback/reception/visit_new.html", context)


@staff_required()
def reception_visit(request, pk: int):
    visit = scoped_or_404(
        request.user,
        selectors.visits_for(user=request.user),
        pk,
        perm="feedback.view_receptionvisit",
    )
    selectors.mask_visits([visit], request.user)
    complaints = complaint_selectors.complaints_for(user=request.user).filter(reception_visit=visit)
    context = {
        "visit": visit,
        "complaints": list(complaints.order_by("pk")),
        "can_add_complaint": request.user.has_perm("feedback.add_complaint"),
    }
    return render(request, "feedback/reception/visit.html", context)


register_scoped_view("staff:feedback:reception_booking_cancel", "feedback.ReceptionBooking")
register_scoped_view("staff:feedback:reception_booking_no_show", "feedback.ReceptionBooking")
register_scoped_view("staff:feedback:reception_visit", "feedback.ReceptionVisit")
