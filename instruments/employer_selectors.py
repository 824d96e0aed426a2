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


def with_durability(
    placements: QuerySet[Placement], *, today: datetime.date, months: int
) -> QuerySet[Placement]:
    """Annotate `durable_from` (the start plus `months`) and `is_durable`: that day has passed and
    no benefit period of the client overlaps the months from the start, neither one still open at
    the start nor a new one. A benefit ended the day before the start (place_client) does not
    overlap. `months` is the municipality's policy (6 in DOMAIN.md), passed in by the caller."""
    durable_from = PlusInterval("start_date", MakeInterval("months", months))
    on_benefit = BenefitPeriod.objects.filter(
        client=OuterRef("client"),
        start_date__lte=OuterRef("durable_from"),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("start_date")))
    return placements.annotate(durable_from=durable_from).annotate(
        is_durable=ExpressionWrapper(
            Q(durable_from__lte=today) & ~Exists(on_benefit), output_field=BooleanField()
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
    """The client's placements, newest first, with their durability (with_durability)."""
    # Each row names its employer and vacancy: joined, not one query per row.
    return with_durability(
        Placement.objects.filter(client=client).select_related("employer", "vacancy"),
        today=today,
        months=months,
    )
