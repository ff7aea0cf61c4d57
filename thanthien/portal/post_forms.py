"""Forms of the leader's news and pledge pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.images import PICTURE_EXTENSIONS
from thanthien.portal.posts import Post, validate_post_image


class PostFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tiêu đề"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại tin"), required=False, choices=[("", _("Tất cả")), *Post.Kind.choices]
    )
    published = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đã đăng")), ("0", _("Bản nháp"))],
    )


class PostForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Đăng lên cổng thông tin"),
        required=False,
        help_text=_("Bỏ đánh dấu để lưu bản nháp; tin có ngày đăng trong tương lai chờ đến ngày."),
    )

    class Meta:
        model = Post
        fields = ["title", "kind", "summary", "body", "image", "image_alt", "published_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "published_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        self.fields["image"].validators = [validate_post_image]
        self.fields["image"].help_text = _("JPEG, PNG hoặc WebP, tối đa 3 MB (%(ext)s).") % {
            "ext": ", ".join(PICTURE_EXTENSIONS)
        }
        if self.instance.pk:
            self.fields["publish"].initial = self.instance.is_published

    def _post_clean(self):
        # The service validates and saves (slug, uniqueness); the model is not built here.
        pass


class PledgeForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    intro = forms.CharField(
        label=_("Lời mở đầu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    items = forms.CharField(
        label=_("Các điều cam kết"),
        help_text=_("Mỗi dòng là một điều cam kết."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
