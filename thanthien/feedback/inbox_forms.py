"""Forms of the staff inbox: the filters, and one form per action on an item."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core import tenancy
from thanthien.feedback.categories import category_choices
from thanthien.feedback.items import Attachment, FeedbackItem, Kind, Source, Status
from thanthien.feedback.workflow_services import HANDLER_ROLES
from thanthien.onestop.models import Procedure
from thanthien.people.models import Office, User
from thanthien.places.models import Hamlet

STATUS_FILTERS = [
    ("open", _("Đang mở (chưa trả lời)")),
    ("", _("Tất cả")),
    *Status.choices,
]
SORT_CHOICES = [
    ("due", _("Hạn trả lời gần nhất trước")),
    ("-received", _("Mới nhận trước")),
    ("received", _("Nhận sớm nhất trước")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by uploads.clean_uploads in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [f for f in data if f]
        return [data] if data else []


def _handlers(commune_ids) -> "forms.ModelChoiceField.queryset":
    users = User.objects.filter(role__in=sorted(HANDLER_ROLES), is_active=True)
    if commune_ids is not None:
        users = users.filter(commune_id__in=commune_ids)
    return users.order_by("full_name", "username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.username


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"),
        required=False,
        max_length=100,
        help_text=_("Mã, nội dung, họ tên hoặc số điện thoại người gửi."),
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=STATUS_FILTERS, required=False)
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    source = forms.ChoiceField(
        label=_("Kênh"), choices=[("", _("Mọi kênh")), *Source.choices], required=False
    )
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    assignee = UserChoiceField(
        label=_("Cán bộ xử lý"), queryset=User.objects.none(), required=False
    )
    office = forms.ModelChoiceField(
        label=_("Bộ phận xử lý"), queryset=Office.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Quá hạn"), required=False)
    due_soon = forms.BooleanField(label=_("Sắp đến hạn"), required=False)
    mine = forms.BooleanField(label=_("Giao cho tôi"), required=False)
    sort = forms.ChoiceField(label=_("Sắp xếp"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = tenancy.visible_commune_ids(user)
        self.fields["category"].choices = [("", _("Mọi lĩnh vực")), *category_choices()]
        self.fields["hamlet"].queryset = tenancy.scope(Hamlet.objects.all(), user).order_by("name")
        self.fields["assignee"].queryset = _handlers(ids)
        self.fields["office"].queryset = tenancy.scope(Office.objects.all(), user)

    def filters(self) -> dict:
        """Keyword arguments of selectors.inbox; the open items by due date when unfiltered."""
        if not self.is_bound:
            return {"status": "open", "sort": "due"}
        if not self.is_valid():
            return {"status": "open", "sort": "due"}
        data = self.cleaned_data
        return {
            "query": data["q"],
            "status": data["status"],
            "category": data["category"],
            "source": data["source"],
            "hamlet_id": data["hamlet"].pk if data["hamlet"] else None,
            "assignee_id": data["assignee"].pk if data["assignee"] else None,
            "office_id": data["office"].pk if data["office"] else None,
            "overdue": data["overdue"],
            "due_soon": data["due_soon"],
            "mine": data["mine"],
            "sort": data["sort"] or "due",
        }


class _ItemForm(forms.Form):
    """A form about one item: the querysets come from the item's commune."""

    def __init__(self, *args, item: FeedbackItem, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)


class ClassifyForm(_ItemForm):
    category = forms.ChoiceField(label=_("Lĩnh vực"))
    kind = forms.ChoiceField(label=_("Loại ý kiến"), choices=Kind.choices)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices()]
        self.initial.setdefault("category", self.item.category)
        self.initial.setdefault("kind", self.item.kind)


class AssignForm(_ItemForm):
    category = forms.ChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        help_text=_("Ý kiến mới: chọn lĩnh vực để tính hạn trả lời."),
    )
    office = forms.ModelChoiceField(
        label=_("Bộ phận xử lý"), queryset=Office.objects.none(), required=False
    )
    assignee = UserChoiceField(
        label=_("Cán bộ xử lý"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Ý kiến chỉ đạo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *category_choices()]
        self.initial.setdefault("category", self.item.category)
        self.initial.setdefault("office", self.item.office_id)
        self.initial.setdefault("assignee", self.item.assignee_id)
        self.fields["office"].queryset = Office.objects.filter(commune_id=self.item.commune_id)
        self.fields["assignee"].queryset = _handlers([self.item.commune_id])

    def clean(self):
        data = super().clean()
        if self.item.status == Status.NEW and not data.get("category"):
            self.add_error("category", _("Chọn lĩnh vực trước khi giao xử lý."))
        if not data.get("office") and not data.get("assignee"):
            self.add_error("assignee", _("Chọn bộ phận hoặc cán bộ xử lý."))
        return data


class NoteOnlyForm(_ItemForm):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(_ItemForm):
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(_ItemForm):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Gửi tới người gửi qua kênh họ chọn, kèm đường dẫn đánh giá."),
    )
    files = MultipleFileField(
        label=_("Ảnh, tài liệu kết quả xử lý"),
        help_text=_("Ảnh JPEG, PNG, WebP, tệp PDF hoặc Word; vị trí GPS trong ảnh được xoá."),
    )
    evidence_public = forms.BooleanField(
        label=_("Ảnh, tài liệu có thể công khai cùng câu trả lời"), required=False, initial=True
    )
    note = forms.CharField(
        label=_("Ghi chú nội bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PublishForm(_ItemForm):
    public_summary = forms.CharField(
        label=_("Tóm tắt công khai"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Viết lại nội dung ý kiến, không có họ tên, số điện thoại, địa chỉ của người gửi."
        ),
    )
    public_files = forms.ModelMultipleChoiceField(
        label=_("Ảnh, tài liệu công khai"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        evidence = Attachment.objects.filter(
            item=self.item, role=Attachment.Role.ANSWER_EVIDENCE
        ).order_by("created_at", "pk")
        self.fields["public_files"].queryset = evidence
        self.fields["public_files"].label_from_instance = lambda a: a.original_name or a.file.name
        self.initial.setdefault("public_summary", self.item.public_summary)
        self.initial.setdefault("public_files", [a.pk for a in evidence if a.is_public])


class ReasonForm(_ItemForm):
    reason = forms.CharField(
        label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(_ItemForm):
    into_code = forms.CharField(
        label=_("Mã ý kiến chính"),
        max_length=40,
        help_text=_("Ý kiến này trùng với ý kiến có mã trên; câu trả lời gửi tới cả hai người."),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


RECEPTION = "reception"
OTHER = "other"


class RedirectForm(_ItemForm):
    reason = forms.CharField(
        label=_("Giải thích cho người gửi"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: tranh chấp đất đai cần hoà giải tại thôn hoặc gửi đơn khiếu nại."),
    )
    destination = forms.ChoiceField(label=_("Hướng dẫn làm theo"))
    redirect_url = forms.CharField(
        label=_("Đường dẫn khác"),
        max_length=300,
        required=False,
        help_text=_("Khi chọn “Đường dẫn khác”: địa chỉ bắt đầu bằng https:// hoặc /."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        procedures = Procedure.objects.filter(commune_id=self.item.commune_id).order_by("name")
        self._procedures = {str(p.pk): p for p in procedures.only("pk", "code", "name")}
        self.fields["destination"].choices = [
            (RECEPTION, _("Khiếu nại, tố cáo, tranh chấp: lịch tiếp công dân của xã")),
            *((f"p{pk}", p.name) for pk, p in self._procedures.items()),
            (OTHER, _("Đường dẫn khác")),
        ]

    def clean(self):
        data = super().clean()
        destination = data.get("destination")
        slug = self.item.commune.slug
        if destination == RECEPTION:
            data["url"] = reverse("portal:reception", kwargs={"slug": slug})
        elif destination and destination.startswith("p") and destination[1:] in self._procedures:
            procedure = self._procedures[destination[1:]]
            data["url"] = reverse(
                "portal:procedure_detail", kwargs={"slug": slug, "code": procedure.code}
            )
        elif destination == OTHER:
            if not data.get("redirect_url"):
                self.add_error("redirect_url", _("Nhập đường dẫn."))
            data["url"] = data.get("redirect_url", "")
        return data
