"""Form building blocks shared by the staff pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from thanthien.core import tenancy

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def date_input() -> forms.DateInput:
    """The browser's date picker; it reads and writes ISO dates (yyyy-mm-dd)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def errors_into(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class TabularImportForm(forms.Form):
    """An XLSX/CSV file to import; a user who sees several communes also picks the commune.

    Subclasses set `file_label` and `file_help`.
    """

    file_label = _("Tệp (.xlsx hoặc .csv)")
    file_help = _("Tối đa 5 MB.")

    file = forms.FileField(validators=[FileExtensionValidator(["xlsx", "csv"])])
    commune = forms.ModelChoiceField(label=_("Xã, phường"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = self.file_label
        self.fields["file"].help_text = self.file_help
        communes = tenancy.visible_communes(user)
        ids = tenancy.visible_commune_ids(user)
        self.single_commune = communes.first() if ids is not None and len(ids) == 1 else None
        if self.single_commune is not None:
            del self.fields["commune"]
        else:
            self.fields["commune"].queryset = communes.order_by("province__name", "name")
            self.fields["commune"].required = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB."))
        return upload

    def chosen_commune(self):
        return self.single_commune or self.cleaned_data["commune"]
