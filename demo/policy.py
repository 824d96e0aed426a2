"""The policy rows the generator reads, as the application manager left them: klantgroepen with
their conversation rhythm, ladder steps, barrier types, life domains, the screening checklist,
partner organisations and the municipality's policy settings. None of these numbers is the
generator's own."""

from __future__ import annotations

import dataclasses

from casework.models import PolicySettings
from clients.models import (
    BarrierType,
    ClientGroup,
    LadderStep,
    LifeDomain,
    Partner,
    ScreeningQuestion,
)
from demo.distributions import BARRIER_SHARES, GROUPS, STEPS


class DemoDataError(Exception):
    """The database does not hold what the generator needs, or already holds what it makes."""


@dataclasses.dataclass(frozen=True, slots=True)
class Rhythm:
    """What a klantgroep asks of the consultant (ClientGroup)."""

    name: str
    progress_per_year: int  # 0: no periodic progress conversation
    legal_review_months: int | None  # None: legality is checked within the conversations
    requires_plan: bool


@dataclasses.dataclass(frozen=True, slots=True)
class References:
    """Policy rows by code, as the application manager keeps them."""

    groups: tuple[int, ...]  # ClientGroup ids in GROUPS order
    rhythms: tuple[Rhythm, ...]  # in GROUPS order
    steps: dict[int, int]  # ladder step number -> LadderStep id
    barriers: dict[str, int]  # barrier code -> BarrierType id
    domains: dict[str, int]  # active life domain code -> LifeDomain id, in position order
    questions: dict[str, int]  # active screening question code -> id, in position order
    partners: dict[str, int]  # active partner name -> Partner id
    plan_required_up_to_age: int
    plan_valid_months: int
    inactivity_days: int

    @classmethod
    def load(cls) -> References:
        groups = {group.code: group for group in ClientGroup.objects.filter(code__in=GROUPS)}
        steps = dict(LadderStep.objects.filter(number__in=STEPS).values_list("number", "id"))
        barriers = dict(BarrierType.objects.values_list("code", "id"))
        domains = dict(LifeDomain.objects.filter(is_active=True).values_list("code", "id"))
        wanted_barriers = {*BARRIER_SHARES, "childcare", "civic_integration"}
        missing = [
            *(f"client group {code!r}" for code in GROUPS if code not in groups),
            *(f"ladder step {n}" for n in STEPS if n not in steps),
            *(f"barrier type {code!r}" for code in sorted(wanted_barriers - barriers.keys())),
            *([] if domains else ["an active life domain"]),
        ]
        if missing:
            raise DemoDataError(
                "The policy defaults are incomplete (run migrate); missing: " + ", ".join(missing)
            )
        settings = PolicySettings.load()
        return cls(
            groups=tuple(groups[code].pk for code in GROUPS),
            rhythms=tuple(
                Rhythm(
                    name=groups[code].name,
                    progress_per_year=groups[code].progress_conversations_per_year,
                    legal_review_months=groups[code].legal_review_interval_months,
                    requires_plan=groups[code].requires_plan,
                )
                for code in GROUPS
            ),
            steps=steps,
            barriers=barriers,
            domains=domains,
            questions=dict(
                ScreeningQuestion.objects.filter(is_active=True).values_list("code", "id")
            ),
            partners=dict(Partner.objects.filter(is_active=True).values_list("name", "id")),
            plan_required_up_to_age=settings.plan_required_up_to_age,
            plan_valid_months=settings.plan_valid_months,
            inactivity_days=settings.inactivity_days,
        )
