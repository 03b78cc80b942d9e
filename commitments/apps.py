from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        from . import caching, checks  # noqa: F401  (checks registers the deploy checks)

        caching.connect_signals()
