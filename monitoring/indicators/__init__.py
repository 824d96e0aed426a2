"""Every indicator of the monitor, defined in one place: importing this package fills REGISTRY
from the modules below, one per theme. The monitor shows them by theme (Theme's order), each
theme in the order its module defines them."""

from monitoring.indicators import (  # noqa: F401  (imported to register their indicators)
    budget,
    caseload,
    client_groups,
    development,
    instruments,
    know_our_clients,
)
from monitoring.indicators.base import REGISTRY, Figure, Indicator, Row, Scope, Theme, Unit

__all__ = ["REGISTRY", "Figure", "Indicator", "Row", "Scope", "Theme", "Unit"]
