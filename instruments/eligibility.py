"""Evaluate an instrument's eligibility rules for a client.

The facts a rule needs are read once per evaluation, in one query per kind of fact, whatever the
number of rules: the latest benefit period, the current ladder step, the current klantgroep and
the instruments the client completed or is following.
"""

from __future__ import annotations

import dataclasses
import datetime
from functools import cached_property

from django.utils.translation import gettext as _

from casework.dates import add_months
from clients.models import BenefitPeriod, Client, LadderMeasurement
from clients.selectors import current_group_id
from instruments.models import (
    EligibilityRule,
    Instrument,
    RuleKind,
    Trajectory,
    TrajectoryStatus,
)


@dataclasses.dataclass(frozen=True)
class RuleResult:
    rule: EligibilityRule
    passed: bool
    message: str


class _ClientFacts:
    """The client's data the rules look at, each read lazily with one query."""

    def __init__(self, client: Client, on: datetime.date) -> None:
        self.client = client
        self.on = on

    @cached_property
    def benefit_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The latest benefit period up to the day: its start and its end (or the day)."""
        period = (
            BenefitPeriod.objects.filter(client=self.client, start_date__lte=self.on)
            .order_by("-start_date", "-id")
            .first()
        )
        if period is None:
            return None
        return period.start_date, min(period.end_date or self.on, self.on)

    @cached_property
    def ladder_step(self) -> int | None:
        return (
            LadderMeasurement.objects.filter(client=self.client, measured_on__lte=self.on)
            .order_by("-measured_on", "-id")
            .values_list("step__number", flat=True)
            .first()
        )

    @cached_property
    def client_group_id(self) -> int | None:
        return current_group_id(self.client)

    @cached_property
    def completed_instrument_ids(self) -> set[int]:
        return set(
            Trajectory.objects.filter(
                client=self.client,
                status__in=[TrajectoryStatus.SUCCEEDED, TrajectoryStatus.CONVERTED_TO_WORK],
            ).values_list("instrument_id", flat=True)
        )

    @cached_property
    def running_instrument_ids(self) -> set[int]:
        """The instruments of the client's trajecten started by the day and not ended."""
        return set(
            Trajectory.objects.filter(
                client=self.client, status=TrajectoryStatus.RUNNING, start_date__lte=self.on
            ).values_list("instrument_id", flat=True)
        )


def _default_message(rule: EligibilityRule) -> str:
    params = {"number": rule.number, "instrument": rule.required_instrument}
    messages = {
        RuleKind.REQUIRES_INSTRUMENT: _("The client has not completed %(instrument)s."),
        RuleKind.MIN_MONTHS_ON_BENEFIT: _(
            "The client has not been on benefit for more than %(number)s months."
        ),
        RuleKind.MIN_LADDER_STEP: _("The client's ladder step is below %(number)s."),
        RuleKind.MAX_LADDER_STEP: _("The client's ladder step is above %(number)s."),
        RuleKind.CLIENT_GROUP_IN: _("The instrument is not meant for the client's client group."),
        RuleKind.MIN_AGE: _("The client is younger than %(number)s."),
        RuleKind.MAX_AGE: _("The client is older than %(number)s."),
        RuleKind.NOT_TOGETHER_WITH: _(
            "The client is following %(instrument)s, which is not combined with this instrument."
        ),
    }
    return messages[RuleKind(rule.kind)] % params


def _passes(rule: EligibilityRule, facts: _ClientFacts, group_ids: set[int], number: int) -> bool:
    match rule.kind:
        case RuleKind.REQUIRES_INSTRUMENT:
            return rule.required_instrument_id in facts.completed_instrument_ids
        case RuleKind.MIN_MONTHS_ON_BENEFIT:
            span = facts.benefit_span
            return span is not None and span[1] > add_months(span[0], number)
        case RuleKind.MIN_LADDER_STEP:
            step = facts.ladder_step
            return step is not None and step >= number
        case RuleKind.MAX_LADDER_STEP:
            step = facts.ladder_step
            return step is not None and step <= number
        case RuleKind.CLIENT_GROUP_IN:
            return facts.client_group_id in group_ids
        case RuleKind.MIN_AGE:
            return facts.client.age_on(facts.on) >= number
        case RuleKind.MAX_AGE:
            return facts.client.age_on(facts.on) <= number
        case RuleKind.NOT_TOGETHER_WITH:
            return rule.required_instrument_id not in facts.running_instrument_ids
    raise ValueError(rule.kind)


def evaluate(*, client: Client, instrument: Instrument, on: datetime.date) -> list[RuleResult]:
    """Every rule of the instrument with its outcome for this client on this day."""
    rules = list(instrument.eligibility_rules.select_related("required_instrument"))
    facts = _ClientFacts(client, on)
    group_ids: set[int] = set()
    if any(rule.kind == RuleKind.CLIENT_GROUP_IN for rule in rules):
        group_ids = set(instrument.client_groups.values_list("pk", flat=True))
    return [
        RuleResult(
            rule=rule,
            passed=(passed := _passes(rule, facts, group_ids, rule.number or 0)),
            message="" if passed else (rule.message or _default_message(rule)),
        )
        for rule in rules
    ]


def failed_messages(*, client: Client, instrument: Instrument, on: datetime.date) -> list[str]:
    return [
        r.message for r in evaluate(client=client, instrument=instrument, on=on) if not r.passed
    ]
