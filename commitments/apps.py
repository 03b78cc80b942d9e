from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from . import caching, checks  # noqa: F401  (checks registers the deploy checks)

        caching.connect_signals()
