"""Vacancy matching for the werkmakelaar: which clients suit a vacancy. A read, so it starts from
clients.selectors.clients_for_user; everything is decided in the database, in one query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from clients.selectors import clients_for_user, with_current_status
from clients.workqueue.selectors import on_benefit
from instruments.models import Placement, Vacancy, WorkProfile

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from casework.models import User
    from clients.models import Client


def candidates_for_vacancy(
    user: User, vacancy: Vacancy, *, min_step: int, sector_only: bool
) -> QuerySet[WithAnnotations[Client]]:
    """The clients in the user's scope who suit the vacancy: on benefit, in a klantgroep that is
    offered vacancies, not placed, at ladder step `min_step` or higher, able to work the
    vacancy's hours, and interested in the employer's sector or open to any sector (only the
    interested ones with `sector_only`).

    Annotated with `current_group_name`, `current_step` and `target_step` (with_current_status),
    `available_hours`, `benefit_since` and `sector_interest`; ordered by sector interest, then
    the higher ladder step, then the longer time on benefit."""
    interests = WorkProfile.sectors.through.objects.filter(workprofile__client=OuterRef("pk"))
    running_placement = Placement.objects.filter(client=OuterRef("pk"), ended_on__isnull=True)
    # on_benefit joins the open benefit period, at most one row per client, so the list never
    # repeats a client; neither does the one-to-one profile.
    clients = (
        with_current_status(on_benefit(clients_for_user(user)))
        # In Q objects: the annotations and joined relations are unknown to django-stubs.
        .filter(
            Q(current_group__offered_vacancies=True),
            Q(current_step__gte=min_step),
            work_profile__hours_per_week__gte=vacancy.hours_per_week,
        )
        .exclude(Exists(running_placement))
        .annotate(
            available_hours=F("work_profile__hours_per_week"),
            benefit_since=F("open_benefit__start_date"),
            sector_interest=Exists(interests.filter(sector_id=vacancy.employer.sector_id)),
        )
    )
    if sector_only:
        clients = clients.filter(sector_interest=True)
    else:
        clients = clients.filter(Q(sector_interest=True) | ~Exists(interests))
    return clients.order_by(
        F("sector_interest").desc(), F("current_step").desc(), "benefit_since", "pk"
    )
