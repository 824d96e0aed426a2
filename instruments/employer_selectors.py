"""Reads of the employer services. Employers and vacancies are municipality-wide (no person data);
placements are reached through a client from clients.selectors."""

from __future__ import annotations

import datetime

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from clients.models import BenefitPeriod, Client
from clients.workqueue.selectors import MakeInterval, PlusInterval
from instruments.models import Employer, Placement, Vacancy, WorkProfile


def employer_list() -> QuerySet[Employer]:
    # The sector's name is shown on every row: joined, not fetched per row. The open vacancies
    # are counted in the same query.
    return Employer.objects.select_related("sector").annotate(
        open_vacancy_count=Count("vacancies", filter=Q(vacancies__is_open=True))
    )


def vacancies_of(employer: Employer) -> QuerySet[Vacancy]:
    return employer.vacancies.order_by("-is_open", "-posted_on", "-id")


# Durable (duurzaam): the client stays off benefit for N whole months (PolicySettings
# durable_placement_months), counted from the first day off benefit: a placement's start date
# (place_client ends the benefit the day before) or the day after an outflow's end date. The
# months run up to the day before `durable_from` (the first day off plus N months); any benefit
# period of the client that covers a day of them (one not ended before the first day off and
# started before durable_from) breaks it. A benefit starting on durable_from is after the months.
# The placements here and the monitor's durable outflow (monitoring.indicators.caseload) both use
# these two expressions.


def durable_from(first_day_off: str, months: int) -> PlusInterval:
    """The first day after `months` months off benefit counted from the field `first_day_off`."""
    return PlusInterval(first_day_off, MakeInterval("months", months))


def back_on_benefit(*, first_day_off: str, durable_from: str) -> QuerySet[BenefitPeriod]:
    """The benefit periods of the outer row's client that cover a day from its `first_day_off` up
    to the day before its `durable_from` (both fields of the outer row): any one makes it not
    durable."""
    return BenefitPeriod.objects.filter(
        client=OuterRef("client"), start_date__lt=OuterRef(durable_from)
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef(first_day_off)))


def with_durability(
    placements: QuerySet[Placement], *, today: datetime.date, months: int
) -> QuerySet[Placement]:
    """Annotate `durable_from` (the start plus `months`) and `is_durable`: that day has come and
    no benefit period of the client covers a day of the months from the start (the rule above).
    A benefit ended the day before the start (place_client) does not. `months` is the
    municipality's policy (6 in DOMAIN.md), passed in by the caller."""
    back = back_on_benefit(first_day_off="start_date", durable_from="durable_from")
    return placements.annotate(durable_from=durable_from("start_date", months)).annotate(
        is_durable=ExpressionWrapper(
            Q(durable_from__lte=today) & ~Exists(back), output_field=BooleanField()
        )
    )


def work_profile_of(client: Client) -> WorkProfile | None:
    """The client's work profile with `sector_names` (in the sectors' own order), or None."""
    # Who updated the profile is shown: joined. The sector names are collected in the same query
    # instead of a second one.
    return (
        WorkProfile.objects.filter(client=client)
        .select_related("updated_by")
        .annotate(
            sector_names=ArrayAgg(
                "sectors__name",
                filter=Q(sectors__isnull=False),
                order_by=("sectors__position", "sectors__name"),
                default=[],
            )
        )
        .first()
    )


def placements_of(client: Client, *, today: datetime.date, months: int) -> QuerySet[Placement]:
    """The client's placements, newest first, with their durability (with_durability) and
    `back_on_benefit_since_start`: a benefit period that breaks durability (back_on_benefit) has
    started by `today`, so a placement whose months have not passed yet is already not durable."""
    # Each row names its employer and vacancy: joined, not one query per row; whether the client
    # is back on benefit is an EXISTS in the same query.
    back = back_on_benefit(first_day_off="start_date", durable_from="durable_from")
    return with_durability(
        Placement.objects.filter(client=client).select_related("employer", "vacancy"),
        today=today,
        months=months,
    ).annotate(back_on_benefit_since_start=Exists(back.filter(start_date__lte=today)))
