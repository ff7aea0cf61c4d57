from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "thanthien.feedback"
    label = "feedback"
    verbose_name = _("Góp ý, khiếu nại, tiếp công dân")
