"""Forms of the dialogue pages (staff and portal). Writes go through dialogue_services.py."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input
from thanthien.feedback.dialogue_selectors import TRACKER_STATES
from thanthien.feedback.dialogues import DialogueQuestion
from thanthien.people.models import Official
from thanthien.places.models import Hamlet


class _OfficialChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.position.name}" if obj.position_id else obj.full_name


def _officials(commune_id: int):
    return (
        Official.objects.filter(commune_id=commune_id, is_active=True)
        .select_related("position")
        .order_by("position__rank", "order", "full_name")
    )


def new_key() -> str:
    return secrets.token_urlsafe(16)


class DialogueForm(forms.Form):
    title = forms.CharField(
        label=_("Tên hội nghị"),
        max_length=255,
        initial=_("Hội nghị đối thoại giữa Chủ tịch Ủy ban nhân dân xã với Nhân dân"),
    )
    date = forms.DateField(label=_("Ngày tổ chức"), widget=date_input())
    start_time = forms.TimeField(
        label=_("Giờ bắt đầu"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    topics = forms.CharField(
        label=_("Nội dung đối thoại"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một chủ đề."),
    )
    chaired_by = _OfficialChoice(label=_("Người chủ trì"), queryset=Official.objects.none())
    front_representative = forms.CharField(
        label=_("Đại diện Ủy ban MTTQ phối hợp"),
        max_length=150,
        help_text=_("Họ tên, chức vụ, ví dụ: Bà Nguyễn Thị Hoa, Chủ tịch Ủy ban MTTQ xã."),
    )
    questions_open_until = forms.DateField(
        label=_("Nhận câu hỏi trước đến ngày"),
        required=False,
        widget=date_input(),
        help_text=_("Để trống: nhận đến hết ngày trước hội nghị."),
    )
    hamlets = forms.ModelMultipleChoiceField(
        label=_("Thôn, tổ dân phố mời"),
        queryset=Hamlet.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chaired_by"].queryset = _officials(commune_id)
        self.fields["hamlets"].queryset = Hamlet.objects.filter(commune_id=commune_id).order_by(
            "name"
        )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "date": data["date"],
            "start_time": data["start_time"],
            "place": data["place"],
            "topics": data["topics"],
            "chaired_by": data["chaired_by"],
            "front_representative": data["front_representative"],
            "questions_open_until": data["questions_open_until"],
            "hamlets": list(data["hamlets"]),
        }


class HoldForm(forms.Form):
    held_on = forms.DateField(label=_("Ngày đã tổ chức"), widget=date_input())
    attendance = forms.IntegerField(label=_("Số người dự"), min_value=1, max_value=100_000)
    secretary_name = forms.CharField(label=_("Thư ký hội nghị"), max_length=150, required=False)
    minutes_summary = forms.CharField(
        label=_("Kết luận, tóm tắt biên bản"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Diễn biến chính và kết luận của người chủ trì."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do huỷ"), widget=forms.Textarea(attrs={"rows": 2}))


class StaffQuestionForm(forms.Form):
    """A question typed in from a paper slip or from the floor: the fast entry on the page."""

    source = forms.ChoiceField(
        label=_("Nguồn"),
        choices=[
            (DialogueQuestion.Source.PAPER, DialogueQuestion.Source.PAPER.label),
            (DialogueQuestion.Source.AT_MEETING, DialogueQuestion.Source.AT_MEETING.label),
        ],
        initial=DialogueQuestion.Source.PAPER,
    )
    question = forms.CharField(label=_("Câu hỏi"), widget=forms.Textarea(attrs={"rows": 3}))
    asker_name = forms.CharField(label=_("Người hỏi"), max_length=150, required=False)
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    asker_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    show_name = forms.BooleanField(label=_("Người hỏi đồng ý công khai tên"), required=False)
    key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id).order_by(
            "name"
        )
        if not self.is_bound:
            self.initial.setdefault("key", new_key())


class FromFeedbackForm(forms.Form):
    feedback_code = forms.CharField(
        label=_("Mã góp ý, phản ánh"),
        max_length=40,
        help_text=_("Ví dụ: PA-11725-26-00042. Nội dung góp ý được đưa vào hội nghị."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Trả lời tại hội nghị"), widget=forms.Textarea(attrs={"rows": 5})
    )
    answered_by = _OfficialChoice(
        label=_("Người trả lời"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Để trống: người chủ trì."),
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_by"].queryset = _officials(commune_id)


class CommitmentForm(forms.Form):
    text = forms.CharField(label=_("Nội dung cam kết"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = _OfficialChoice(label=_("Người chịu trách nhiệm"), queryset=Official.objects.none())
    deadline = forms.DateField(label=_("Hạn hoàn thành"), widget=date_input())

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _officials(commune_id)


class CompleteForm(forms.Form):
    done_on = forms.DateField(label=_("Ngày hoàn thành"), widget=date_input())
    result_note = forms.CharField(
        label=_("Kết quả"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TrackerFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=list(
            zip(
                TRACKER_STATES,
                (
                    _("Đang thực hiện"),
                    _("Quá hạn"),
                    _("Đã hoàn thành"),
                    _("Không thực hiện"),
                    _("Tất cả"),
                ),
                strict=True,
            )
        ),
    )
    owner = forms.ModelChoiceField(
        label=_("Người chịu trách nhiệm"), queryset=Official.objects.none(), required=False
    )
    q = forms.CharField(label=_("Tìm"), max_length=100, required=False)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class PublicQuestionForm(forms.Form):
    """A resident's question sent before the conference: only the question is required."""

    question = forms.CharField(
        label=_("Câu hỏi, ý kiến của ông/bà"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
    )
    asker_name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"), max_length=150, required=False
    )
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"),
        queryset=Hamlet.objects.none(),
        required=False,
        empty_label=_("— Chọn thôn, tổ dân phố —"),
    )
    asker_phone = forms.CharField(
        label=_("Số điện thoại (không bắt buộc)"),
        max_length=20,
        required=False,
        help_text=_("Để xã liên hệ khi cần làm rõ; không công khai."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    show_name = forms.BooleanField(
        label=_("Tôi đồng ý để xã công khai họ tên cùng câu hỏi"), required=False
    )
    key = forms.CharField(widget=forms.HiddenInput, required=False)
    # A field people never see: a bot that fills it is thanked and ignored.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id).order_by(
            "name"
        )
        if not self.is_bound:
            self.initial.setdefault("key", new_key())
