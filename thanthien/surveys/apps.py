from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "thanthien.surveys"
    label = "surveys"
    verbose_name = _("Đánh giá, khảo sát sự hài lòng")

    def ready(self) -> None:
        from thanthien.surveys.results_cache import connect_signals

        connect_signals()
