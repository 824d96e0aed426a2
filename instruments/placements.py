"""Writes of the employer services: employers, vacancies, a client's work profile, and placing a
client in work and ending that placement."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.models import User
from clients import services as client_services
from clients.models import BenefitPeriod, Client, OutflowReason
from instruments.models import (
    ContractType,
    Employer,
    Placement,
    Sector,
    Vacancy,
    VacancyLevel,
    WorkProfile,
)


@transaction.atomic
def create_employer(
    *,
    name: str,
    kvk_number: str,
    sector: Sector,
    contact_name: str,
    contact_phone: str = "",
    contact_email: str = "",
    address: str = "",
    city: str = "",
) -> Employer:
    employer = Employer(
        name=name,
        kvk_number=kvk_number,
        sector=sector,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        address=address,
        city=city,
    )
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def add_vacancy(
    *,
    employer: Employer,
    title: str,
    hours_per_week: int,
    level: VacancyLevel | str,
    requirements: str = "",
    posted_on: datetime.date | None = None,
) -> Vacancy:
    vacancy = Vacancy(
        employer=employer,
        title=title,
        hours_per_week=hours_per_week,
        level=level,
        requirements=requirements,
    )
    if posted_on is not None:
        vacancy.posted_on = posted_on
    vacancy.full_clean()
    vacancy.save()
    return vacancy


@transaction.atomic
def place_client(
    *,
    client: Client,
    employer: Employer,
    start_date: datetime.date,
    contract_type: ContractType | str,
    hours_per_week: int,
    placed_by: User,
    vacancy: Vacancy | None = None,
    with_wage_subsidy: bool = False,
    with_job_coaching: bool = False,
    ends_benefit: bool = False,
) -> Placement:
    """Record that the client starts work with the employer. With ends_benefit, the client's open
    benefit period ends the day before the start with reason "work" (uitstroom naar werk)."""
    if vacancy is not None and vacancy.employer_id != employer.pk:
        raise ValidationError(_("The vacancy belongs to another employer."), code="vacancy")
    placement = Placement(
        client=client,
        employer=employer,
        vacancy=vacancy,
        start_date=start_date,
        contract_type=contract_type,
        hours_per_week=hours_per_week,
        with_wage_subsidy=with_wage_subsidy,
        with_job_coaching=with_job_coaching,
        placed_by=placed_by,
    )
    placement.full_clean()
    placement.save()
    if ends_benefit:
        period = (
            BenefitPeriod.objects.select_for_update()
            .filter(client=client, end_date__isnull=True)
            .first()
        )
        if period is None:
            raise ValidationError(
                _("The client has no open benefit period to end."), code="no_benefit"
            )
        client_services.end_benefit(
            period=period,
            end_date=start_date - datetime.timedelta(days=1),
            reason=OutflowReason.WORK,
        )
    return placement


@transaction.atomic
def end_placement(*, placement: Placement, ended_on: datetime.date) -> Placement:
    """Record the last day of work, today at the latest. The benefit is not touched: a client who
    comes back on benefit gets a new benefit period, which is what makes a placement not
    durable."""
    if placement.ended_on is not None:
        raise ValidationError(_("The placement has already ended."), code="ended")
    if ended_on < placement.start_date:
        raise ValidationError(
            {
                "ended_on": ValidationError(
                    _("The end date is before the start of the placement (%(start)s)."),
                    code="before_start",
                    params={"start": date_format(placement.start_date, "SHORT_DATE_FORMAT")},
                )
            }
        )
    if ended_on > timezone.localdate():
        # Matching (instruments.matching) reads an end date as "no longer placed": a future one
        # would offer vacancies to a client who is still at work.
        raise ValidationError(
            {
                "ended_on": ValidationError(
                    _("The last day of work cannot be in the future."), code="future"
                )
            }
        )
    placement.ended_on = ended_on
    placement.full_clean()
    placement.save(update_fields=["ended_on"])
    return placement


@transaction.atomic
def save_work_profile(
    *, client: Client, sectors: Iterable[Sector], hours_per_week: int, updated_by: User
) -> WorkProfile:
    """Create the client's work profile or replace what it says."""
    # Two werkmakelaars saving at once: locking the profile locks nothing while it does not exist
    # yet, and both would insert one (an IntegrityError on the one-to-one). The client's row
    # always exists: locked, the second save waits and then finds the first one's profile.
    Client.objects.select_for_update().get(pk=client.pk)
    # Not update_or_create: it saves without the model's validators (the hours' range).
    profile = WorkProfile.objects.filter(client=client).first() or WorkProfile(client=client)
    profile.hours_per_week = hours_per_week
    profile.updated_by = updated_by
    profile.full_clean()
    profile.save()
    profile.sectors.set(sectors)
    return profile
