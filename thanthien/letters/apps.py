from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "thanthien.letters"
    label = "letters"
    verbose_name = _("Thư công, nghi lễ, thăm hỏi")
