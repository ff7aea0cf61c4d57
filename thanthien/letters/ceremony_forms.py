"""Forms of the ceremony and visit pages. Writes go through ceremony_services.py."""

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thanthien.letters.ceremonies import CeremonyKind
from thanthien.letters.models import Letter, validate_photo
from thanthien.people.models import Official
from thanthien.places.models import Hamlet

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class _OfficialChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.position.name}" if obj.position_id else obj.full_name


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several pictures at once, each checked like a letter's evidence photo."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultiplePhotoField, self).clean(item, initial) for item in files]
        for photo in cleaned:
            validate_photo(photo)
        return cleaned


class CeremonyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=CeremonyKind.choices)
    starts_at = _datetime_field(_("Thời gian"))
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    recipient_name = forms.CharField(label=_("Gia đình, người nhận"), max_length=200)
    recipient_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    officials = _OfficialChoice(
        label=_("Cán bộ đi"),
        queryset=Official.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    letters = forms.ModelMultipleChoiceField(
        label=_("Thư kèm theo"),
        queryset=Letter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, commune_id: int, ceremony_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id)
        self.fields["officials"].queryset = (
            Official.objects.filter(commune_id=commune_id, is_active=True)
            .select_related("position")
            .order_by("order", "full_name")
        )
        # The letters a ceremony may hand over: the year's, not dropped, and those linked.
        recent = Q(created_at__gte=timezone.now() - timedelta(days=365)) & ~Q(
            state=Letter.State.DROPPED
        )
        linked = Q(ceremonies=ceremony_id) if ceremony_id else Q(pk__in=[])
        self.fields["letters"].queryset = (
            Letter.objects.filter(commune_id=commune_id).filter(recent | linked).distinct()
        ).order_by("-created_at", "-pk")


class RecordForm(forms.Form):
    done_at = _datetime_field(_("Thực hiện lúc"))
    officials = _OfficialChoice(
        label=_("Cán bộ đã đi"),
        queryset=Official.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.CharField(
        label=_("Kết quả"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Đã trao giấy tờ, thư gì; gia đình có đề nghị gì."),
    )
    photos = MultiplePhotoField(
        label=_("Ảnh"), required=False, help_text=_("JPEG, PNG hoặc WebP, mỗi ảnh tối đa 5 MB.")
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officials"].queryset = (
            Official.objects.filter(commune_id=commune_id, is_active=True)
            .select_related("position")
            .order_by("order", "full_name")
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), widget=forms.Textarea(attrs={"rows": 2}))
