from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Dispute tracker"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (re-tag articles when reference data changes)
