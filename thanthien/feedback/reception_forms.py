"""Forms of citizen reception: booking (public and by phone), cancelling, the register."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.feedback import reception_services as services
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit
from thanthien.people.models import Official
from thanthien.places.models import Hamlet

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def slot_label(option) -> str:
    slot = option.slot
    free = _("còn %(n)s chỗ") % {"n": option.free} if option.free else _("đã đủ chỗ")
    return _("%(weekday)s %(date)s, %(start)s–%(end)s, %(host)s (%(free)s)") % {
        "weekday": slot.get_weekday_display(),
        "date": f"{option.date:%d/%m/%Y}",
        "start": f"{slot.start_time:%H:%M}",
        "end": f"{slot.end_time:%H:%M}",
        "host": slot.host.full_name,
        "free": free,
    }


class BookingForm(forms.Form):
    slot = forms.ChoiceField(
        label=_("Chọn buổi tiếp"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Buổi tiếp này không còn nhận đặt lịch; xin chọn buổi khác.")
        },
    )
    name = forms.CharField(label=_("Họ và tên"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    matter = forms.CharField(
        label=_("Nội dung cần trình bày"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    group_size = forms.IntegerField(
        label=_("Số người cùng đến"), min_value=1, max_value=services.MAX_GROUP, initial=1
    )
    consent_sms = forms.BooleanField(
        label=_("Tôi đồng ý nhận tin nhắn SMS xác nhận, nhắc lịch về số điện thoại trên"),
        required=False,
    )

    def __init__(self, *args, commune_id: int, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id).order_by(
            "name"
        )
        self.fields["slot"].choices = [
            (option.value, slot_label(option)) for option in options if option.free
        ]


class PublicBookingForm(BookingForm):
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    # Left empty by people; filled by robots that fill every field.
    website = forms.CharField(
        required=False,
        label=_("Để trống ô này"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class PhoneBookingForm(BookingForm):
    source = forms.ChoiceField(
        label=_("Người dân đặt qua"),
        choices=[
            (ReceptionBooking.Source.PHONE, ReceptionBooking.Source.PHONE.label),
            (ReceptionBooking.Source.DESK, ReceptionBooking.Source.DESK.label),
        ],
    )


class ResidentCancelForm(forms.Form):
    phone_last4 = forms.CharField(
        label=_("4 số cuối điện thoại đã đặt lịch"),
        max_length=4,
        min_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class StaffCancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do huỷ"), max_length=255)


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm họ tên, nội dung, điện thoại"), required=False)
    year = forms.TypedChoiceField(label=_("Năm"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả")), *[(y, y) for y in years]]


OPENS_CHOICES = [
    (services.OPEN_NOTHING, _("Không mở việc mới (hướng dẫn, giải thích tại chỗ)")),
    (services.OPEN_FEEDBACK, _("Vào sổ góp ý, phản ánh (tạo mã theo dõi)")),
    (services.OPEN_COMPLAINT, _("Tiếp theo: vào sổ đơn khiếu nại, tố cáo")),
    (services.OPEN_DOSSIER, _("Gắn với hồ sơ thủ tục đã tiếp nhận (nhập số hồ sơ)")),
]


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label=_("Thời gian tiếp"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    received_by = forms.ModelChoiceField(label=_("Người tiếp"), queryset=Official.objects.none())
    is_scheduled_session = forms.BooleanField(
        label=_("Trong buổi tiếp định kỳ của Chủ tịch"), required=False
    )
    citizen_name = forms.CharField(label=_("Họ tên người đến"), max_length=150)
    citizen_phone = forms.CharField(label=_("Số điện thoại"), max_length=15, required=False)
    citizen_id_number = forms.CharField(label=_("Số căn cước"), max_length=12, required=False)
    citizen_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    group_size = forms.IntegerField(label=_("Số người"), min_value=1, max_value=500, initial=1)
    kind = forms.ChoiceField(label=_("Loại việc"), choices=ReceptionVisit.Kind.choices)
    matter = forms.CharField(
        label=_("Nội dung trình bày"), widget=forms.Textarea(attrs={"rows": 4})
    )
    outcome = forms.ChoiceField(label=_("Hướng xử lý"), choices=ReceptionVisit.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Ghi chú kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opens = forms.ChoiceField(
        label=_("Mở việc gì từ lượt tiếp này"),
        choices=OPENS_CHOICES,
        initial=services.OPEN_NOTHING,
        widget=forms.RadioSelect,
    )
    dossier_code = forms.CharField(label=_("Số hồ sơ"), max_length=40, required=False)

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id).order_by(
            "name"
        )
        self.fields["received_by"].queryset = (
            Official.objects.filter(commune_id=commune_id, is_active=True)
            .select_related("position")
            .order_by("full_name")
        )
