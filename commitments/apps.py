from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = "Commitments"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
