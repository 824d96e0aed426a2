import pytest

from monitoring.indicators import REGISTRY, Theme, Unit
from monitoring.indicators.base import register
from tests.monitoring.fake_indicators import CALLS, SHARES, a_share, on_benefit


@pytest.fixture
def registry():
    """Only the test indicators of fake_indicators; the real registry afterwards."""
    saved = dict(REGISTRY)
    REGISTRY.clear()
    CALLS.clear()
    SHARES.clear()
    SHARES.default = (None, 0)
    register(
        code="test_on_benefit",
        name="Clients on benefit (test)",
        theme=Theme.CASELOAD,
        unit=Unit.COUNT,
        numerator="Clients on benefit at the period's end.",
        denominator="",
        population="All clients.",
        period="The last day of the period.",
        breakdown="Per team.",
        higher_is_better=False,
    )(on_benefit)
    register(
        code="test_share",
        name="A share (test)",
        theme=Theme.BUDGET,
        unit=Unit.PERCENT,
        numerator="Something.",
        denominator="Everyone.",
        population="All clients.",
        period="The period.",
        higher_is_better=True,
        by_team=False,
    )(a_share)
    yield
    REGISTRY.clear()
    REGISTRY.update(saved)
