"""Indicators of the theme client_groups: movement between klantgroepen and the growth of Zorgen.

The terms (on benefit at the end of a day, klantgroep on a day, team) are those of
monitoring.indicators.caseload.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import ClientGroupAssignment
from monitoring.indicators.base import Figure, Row, Scope, Theme, Unit, register, share, shared
from monitoring.indicators.caseload import client_groups, in_group_at_end_of
from monitoring.periods import Period

# The klantgroep whose growth the council watches ("no unwanted side effects"). ClientGroup has
# no field that marks it, so it is found by its code; a municipality without it gets no figure.
ZORGEN_CODE = "zorgen"


@register(
    code="group_moves",
    name=_("Moves between klantgroepen"),
    theme=Theme.CLIENT_GROUPS,
    unit=Unit.COUNT,
    numerator=_(
        "Klantgroep assignments that started in the period and whose previous assignment of "
        "the same client (by start date, then by the order of recording) was to another group. "
        "A client's first group and a renewed assignment to the same group are not moves; a "
        "client who moves twice counts twice."
    ),
    denominator="",
    population=_("All clients, on benefit or not."),
    period=_("The new assignment's start date lies in the period."),
    breakdown=_(
        "From → to, only the combinations that occurred. The klantgroep filter keeps the moves "
        "out of and into that group."
    ),
)
def group_moves(period: Period, scope: Scope) -> Figure:
    previous = (
        ClientGroupAssignment.objects.filter(client=OuterRef("client"))
        .filter(
            Q(start_date__lt=OuterRef("start_date"))
            | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk"))
        )
        .order_by("-start_date", "-id")
        .values("group_id")[:1]
    )
    moves = (
        ClientGroupAssignment.objects.filter(start_date__range=(period.start, period.end))
        .annotate(from_group=Subquery(previous, output_field=IntegerField()))
        .filter(from_group__isnull=False)
        .filter(~Q(from_group=F("group")))
    )
    if scope.team is not None:
        moves = moves.filter(client__team=scope.team)
    if scope.group is not None:
        moves = moves.filter(Q(from_group=scope.group.pk) | Q(group=scope.group))
    counts = {"n": Count("pk"), "people": Count("client", distinct=True)}
    per_pair: list[Mapping[str, Any]] = list(moves.values("from_group", "group").annotate(**counts))
    total = moves.aggregate(**counts)
    groups = {group.pk: group for group in client_groups()}
    per_pair.sort(
        key=lambda row: (
            groups[row["from_group"]].position,
            groups[row["from_group"]].name,
            groups[row["group"]].position,
            groups[row["group"]].name,
        )
    )
    rows = tuple(
        Row(
            f"{groups[row['from_group']].name} → {groups[row['group']].name}",
            row["n"],
            row["people"],
        )
        for row in per_pair
    )
    return Figure(total["n"], total["people"], rows)


def _zorgen_at_start_and_end(period: Period, scope: Scope) -> tuple[int, int] | None:
    """The bestand in Zorgen at the end of the day before the period and at its end."""
    zorgen = next((group for group in client_groups() if group.code == ZORGEN_CODE), None)
    if zorgen is None:
        return None

    def on(day: datetime.date) -> int:
        # Counted once per day and team in a batch (shared_reads): both Zorgen figures need it,
        # and one quarter's end is the next one's day before.
        key = ("zorgen_on", day, scope.team.pk if scope.team else None)
        members = in_group_at_end_of(day, zorgen)
        if scope.team is not None:
            members = members.filter(client__team=scope.team)
        return shared(key, members.count)

    return on(period.start - datetime.timedelta(days=1)), on(period.end)


def _start_and_end_rows(start: int, end: int) -> tuple[Row, ...]:
    return (
        Row(gettext("At the start of the period"), start, start),
        Row(gettext("At the end of the period"), end, end),
    )


ZORGEN_GROWTH = {
    "theme": Theme.CLIENT_GROUPS,
    "population": _(
        "The clients on benefit in the klantgroep Zorgen (the group with the code 'zorgen'): "
        "at the start, the bestand at the end of the day before the period with their group on "
        "that day; at the end, the bestand at the end of the period's last day with their group "
        "on that day (the Zorgen row of Clients on benefit)."
    ),
    "period": _("The day before the period and the period's last day."),
    "breakdown": _("The number at the start and at the end."),
    "higher_is_better": False,
    # A figure about Zorgen: the klantgroep filter does not apply.
    "by_group": False,
}


@register(
    code="zorgen_growth",
    name=_("Growth of Zorgen (groei Zorgen)"),
    unit=Unit.COUNT,
    numerator=_("The number in Zorgen at the end minus the number at the start (can be negative)."),
    denominator="",
    **ZORGEN_GROWTH,
)
def zorgen_growth(period: Period, scope: Scope) -> Figure:
    counts = _zorgen_at_start_and_end(period, scope)
    if counts is None:
        return Figure(None)
    start, end = counts
    # The change reveals both numbers: it is about as few people as the smaller one.
    return Figure(end - start, min(start, end), _start_and_end_rows(start, end))


@register(
    code="zorgen_growth_percent",
    name=_("Growth of Zorgen in percent (groei Zorgen in procenten)"),
    unit=Unit.PERCENT,
    numerator=_("The number in Zorgen at the end minus the number at the start."),
    denominator=_("The number in Zorgen at the start."),
    **ZORGEN_GROWTH,
)
def zorgen_growth_percent(period: Period, scope: Scope) -> Figure:
    counts = _zorgen_at_start_and_end(period, scope)
    if counts is None:
        return Figure(None)
    start, end = counts
    return Figure(share(end - start, start), min(start, end), _start_and_end_rows(start, end))
