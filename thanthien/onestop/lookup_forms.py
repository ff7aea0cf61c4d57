"""The form a resident fills in on /tra-cuu/: the dossier code and four digits of the phone.

The template writes the inputs itself (big type, hints read out with each field); this class
only checks and cleans what was sent.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thanthien.onestop.lookup import PHONE_SUFFIX_LENGTH, normalize_code

# The format of the codes this platform gives (thanthien.onestop.dossier_services._next_code):
# the commune's code, the day of receipt (yymmdd), the day's sequence number.
CODE_EXAMPLE = "26734-250612-0001"


class LookupForm(forms.Form):
    code = forms.CharField(
        max_length=60,
        error_messages={"required": _("Gõ mã hồ sơ in trên giấy tiếp nhận.")},
    )
    phone_last4 = forms.CharField(
        max_length=12,
        error_messages={"required": _("Gõ 4 chữ số cuối của số điện thoại.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not code:
            raise ValidationError(_("Gõ mã hồ sơ in trên giấy tiếp nhận."))
        return code

    def clean_phone_last4(self) -> str:
        digits = "".join(self.cleaned_data["phone_last4"].split())
        if len(digits) != PHONE_SUFFIX_LENGTH or not digits.isascii() or not digits.isdigit():
            raise ValidationError(_("Gõ đúng 4 chữ số cuối của số điện thoại, ví dụ 5678."))
        return digits
