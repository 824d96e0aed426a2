"""The instruments app's part of a subject access request (clients.privacy): the client's trajecten,
work profile and placements, as sections of the document. Connected to
clients.signals.subject_access_requested in InstrumentsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from clients.models import Client
from clients.privacy.sections import Section, text
from instruments.models import Placement, Trajectory, WorkProfile


def trajectory_section(client: Client) -> Section:
    # Joined: every row names its instrument, provider and the consultants involved.
    trajectories = Trajectory.objects.filter(client=client).select_related(
        "instrument", "provider", "started_by", "overridden_by"
    )
    return Section(
        _("Trajectories"),
        [
            _("Instrument"),
            _("Provider"),
            _("Start date"),
            _("Planned end date"),
            _("Actual end date"),
            _("Cost"),
            _("Outcome"),
            _("Notes"),
        ],
        [
            [
                str(trajectory.instrument),
                text(trajectory.provider),
                text(trajectory.start_date),
                text(trajectory.planned_end_date),
                text(trajectory.end_date),
                text(trajectory.cost),
                trajectory.get_status_display()
                + (
                    f" ({trajectory.get_early_end_reason_display()})"
                    if trajectory.early_end_reason
                    else ""
                ),
                _trajectory_notes(trajectory),
            ]
            for trajectory in trajectories
        ],
    )


def _trajectory_notes(trajectory: Trajectory) -> str:
    lines = [_("Started by %(user)s") % {"user": trajectory.started_by}]
    if trajectory.goal:
        lines.append(_("Plan goal: %(goal)s") % {"goal": trajectory.goal})
    if trajectory.overridden_rules:
        lines.append(
            _("Started despite: %(rules)s. Reason: %(reason)s (%(user)s)")
            % {
                "rules": trajectory.overridden_rules,
                "reason": trajectory.override_reason,
                "user": text(trajectory.overridden_by),
            }
        )
    return "\n".join(lines)


def work_profile_section(client: Client) -> Section:
    # The sectors are one prefetch query; the one who updated it is joined.
    profile = (
        WorkProfile.objects.filter(client=client)
        .select_related("updated_by")
        .prefetch_related("sectors")
        .first()
    )
    rows = []
    if profile is not None:
        rows.append(
            [
                ", ".join(str(sector) for sector in profile.sectors.all()) or _("Any sector"),
                str(profile.hours_per_week),
                text(profile.updated_at),
                str(profile.updated_by),
            ]
        )
    return Section(
        _("Work profile"),
        [_("Sectors of interest"), _("Hours a week"), _("Updated at"), _("Updated by")],
        rows,
    )


def placement_section(client: Client) -> Section:
    # Joined: every row names the employer, the vacancy and who placed the client.
    placements = Placement.objects.filter(client=client).select_related(
        "employer", "vacancy", "placed_by"
    )
    return Section(
        _("Placements"),
        [
            _("Employer"),
            _("Vacancy"),
            _("Start date"),
            _("Ended on"),
            _("Contract type"),
            _("Hours a week"),
            _("With wage cost subsidy"),
            _("With job coaching"),
            _("Placed by"),
        ],
        [
            [
                str(placement.employer),
                text(placement.vacancy.title if placement.vacancy else None),
                text(placement.start_date),
                text(placement.ended_on),
                placement.get_contract_type_display(),
                str(placement.hours_per_week),
                text(placement.with_wage_subsidy),
                text(placement.with_job_coaching),
                str(placement.placed_by),
            ]
            for placement in placements
        ],
    )


def subject_access_sections(
    sender: type[Client], *, client: Client, **kwargs: Any
) -> list[Section]:
    """Receiver of clients.signals.subject_access_requested: four queries, any number of rows."""
    return [trajectory_section(client), work_profile_section(client), placement_section(client)]
