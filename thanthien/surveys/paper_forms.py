"""Forms of the paper survey pages: how many copies to print, and typing in a returned copy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.places.models import Hamlet
from thanthien.surveys.paper_selectors import PaperQuestion
from thanthien.surveys.paper_services import MAX_COPIES


class PaperPrintForm(forms.Form):
    copies = forms.IntegerField(label=_("Số bản cần in"), min_value=1, max_value=MAX_COPIES)
    hamlet = forms.ModelChoiceField(
        label=_("In riêng cho thôn, tổ dân phố"),
        queryset=Hamlet.objects.none(),
        required=False,
        empty_label=_("— Không ghi thôn (dùng chung) —"),
        help_text=_("Tên thôn được in lên phiếu và ghi vào kết quả của phiếu đó."),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(
            commune_id=campaign.commune_id
        ).order_by("order", "name")


class PaperNumberForm(forms.Form):
    number = forms.CharField(
        label=_("Số phiếu"),
        max_length=200,
        help_text=_("Gõ số in ở góc phiếu (chỉ phần số cuối cũng được), rồi nhấn Enter."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text", "size": 24}
        ),
    )


class PaperAnswersForm(forms.Form):
    """One field per question, named "q-<id>"; the questionnaire itself checks the answers
    (response_submit), so every field is optional here and errors come back by question."""

    def __init__(self, *args, layout: list[PaperQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        for item in layout:
            label = f"{item.number}. {item.text}"
            choices = [
                (option.value, f"{option.number}. {option.label}") for option in item.options
            ]
            if item.kind == "choose":
                field = forms.ChoiceField(
                    label=label, choices=choices, required=False, widget=forms.RadioSelect
                )
            elif item.kind == "multiple":
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif item.kind == "select":
                field = forms.ChoiceField(
                    label=label,
                    choices=[("", "—"), *choices],
                    required=False,
                    widget=forms.Select(attrs={"aria-label": label}),
                )
            elif item.kind == "number":
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=32,
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "autocomplete": "off", "aria-label": label}
                    ),
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=item.question.max_length,
                    widget=forms.Textarea(attrs={"rows": 2, "aria-label": label}),
                )
            self.fields[item.field_name] = field

    def answers(self) -> dict:
        """The answers to pass to the questionnaire: empty ones left out."""
        values = {}
        for item in self.layout:
            value = self.cleaned_data.get(item.field_name)
            if value in (None, "", []):
                continue
            values[item.question.id] = value
        return values

    def add_answer_errors(self, errors: dict[str, list[str]]) -> list[str]:
        """Attach the questionnaire's errors to their fields; the others are returned."""
        others = []
        by_id = {item.question.id: item.field_name for item in self.layout}
        for key, messages in errors.items():
            name = by_id.get(key)
            for message in messages:
                if name:
                    self.add_error(name, message)
                else:
                    others.append(message)
        return others

    def rows(self):
        """(layout item, bound field) in question order, for the template."""
        return [(item, self[item.field_name]) for item in self.layout]
