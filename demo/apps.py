from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make demo` and the benchmarks. Sits on top: it may use every app."""

    name = "demo"
    verbose_name = _("Demo data")
