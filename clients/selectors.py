"""Reads of clients. Authorization lives here: every view and API reaches clients through
`clients_for_user` or `get_client_for_user`, so a user never sees a client outside their scope."""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import TYPE_CHECKING, TypeVar

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from casework.rules import can_see_persons
from clients.bsn import bsn_digest, normalise_bsn
from clients.models import (
    BenefitPeriod,
    Client,
    ClientGroup,
    ClientGroupAssignment,
    LadderMeasurement,
    LadderStep,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from casework.models import Team, User


_C = TypeVar("_C", bound=Client)

# A word of a typed name: letters and digits, as PostgreSQL's parser splits names into words
# (hyphens, apostrophes, spaces and the like separate them).
NAME_WORD = re.compile(r"[^\W_]+")


def may_see_team(user: User, team: Team) -> bool:
    """Whether the user may see the team's clients one by one: clients_for_user's rule."""
    return can_see_persons(user) and user.team_id is not None and team.pk == user.team_id


def clients_for_user(user: User) -> QuerySet[Client]:
    """The clients this user may see: a consultant's or team leader's own team; nobody else."""
    if not can_see_persons(user) or user.team_id is None:
        return Client.objects.none()
    return Client.objects.filter(team_id=user.team_id)


def get_client_for_user(
    user: User, pk: int, *, for_change: bool = False, with_histories: bool = True
) -> Client:
    """One client in the user's scope; 404 otherwise. With `for_change` (every write view and
    API write) also 403 when the user may not change this client (check_changeable). With
    `with_histories` (the dossier and the pages built on it) the histories are prefetched."""
    queryset = clients_for_user(user).select_related("team")
    if with_histories:
        queryset = with_dossier_histories(queryset)
    try:
        client = queryset.get(pk=pk)
    except Client.DoesNotExist:
        raise Http404 from None
    if for_change:
        check_changeable(user, client)
    return client


def with_dossier_histories(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """The clients with what the dossier shows of them (barriers, consultants, benefit periods,
    ladder measurements, klantgroep assignments): one query each instead of one per row."""
    return queryset.prefetch_related(
        "barriers",
        "consultants",
        Prefetch("benefit_periods", queryset=BenefitPeriod.objects.select_related("partner")),
        Prefetch(
            "ladder_measurements",
            queryset=LadderMeasurement.objects.select_related("step", "target_step", "measured_by"),
        ),
        Prefetch(
            "group_assignments",
            queryset=ClientGroupAssignment.objects.select_related("group", "assigned_by"),
        ),
    )


def check_changeable(user: User, client: Client) -> None:
    """403 unless the user may change this client: the rule `clients.change_client` with the
    client (clients.rules), which refuses an anonymised client, whose personal data nobody
    types back in. Every write reaches it: through get_client_for_user(for_change=True), or
    directly where the client comes with another record (a conversation, a traject)."""
    if not user.has_perm("clients.change_client", client):
        raise PermissionDenied


def current_group_id(client: Client) -> int | None:
    """The klantgroep of the client's open assignment, as the database has it now (the instance
    may have been read before the assignment changed)."""
    return Client.objects.values_list("current_group_id", flat=True).get(pk=client.pk)


# with_current_status's annotations: the current status PostgreSQL keeps on the client
# (Client.current_group), by the names the list, the API and the export show. A subquery by
# primary key each, evaluated for the rows of the page only. Not joins (F("current_group__name")):
# Django keeps an annotation's join in a paged list's count, which then reads the table instead of
# the team index alone (8 instead of 2 ms for a team at 100,000 clients), and the page took 18 ms
# instead of 15 in process (the whole team's list 26 instead of 15). Built once: each query
# resolves a copy. Unordered: one row by its key (the models' ordering was a sort per row).
CURRENT_STATUS = {
    "current_group_name": Subquery(
        ClientGroup.objects.filter(pk=OuterRef("current_group_id")).order_by().values("name")
    ),
    "current_step": Subquery(
        LadderStep.objects.filter(pk=OuterRef("current_ladder_step_id")).order_by().values("number")
    ),
    "target_step": Subquery(
        LadderStep.objects.filter(pk=OuterRef("current_target_step_id")).order_by().values("number")
    ),
}


def with_current_status(queryset: QuerySet[_C]) -> QuerySet[WithAnnotations[_C]]:
    """Annotate the current klantgroep and ladder step."""
    return queryset.annotate(**CURRENT_STATUS)


def filter_caseload(
    queryset: QuerySet[_C],
    *,
    group: ClientGroup | None = None,
    step: LadderStep | None = None,
    consultant: User | None = None,
) -> QuerySet[_C]:
    """Narrow a caseload to a current klantgroep, a current ladder step and a consultant."""
    if group is not None:
        queryset = queryset.filter(current_group=group)
    if step is not None:
        queryset = queryset.filter(current_ladder_step=step)
    if consultant is not None:
        queryset = queryset.filter(consultants=consultant)
    return queryset


def clients_with_bsn(queryset: QuerySet[_C], bsn: str) -> QuerySet[_C]:
    """The clients of `queryset` with this BSN (as typed or cleaned): THE look-up by BSN. The BSN
    is stored encrypted, so the exact match is on its keyed hash (Client.bsn_hash, unique: also
    its index)."""
    return queryset.filter(bsn_hash=bsn_digest(bsn))


def search_clients(queryset: QuerySet[_C], term: str) -> QuerySet[_C]:
    """THE client search (the caseload list, the meeting invitations). A BSN (digits) matches
    exactly; anything else is a name: a client matches when each typed word is the START of a
    word of their first name, surname prefix or last name, in any case ("khal" finds Khalil,
    "van der berg" and "jansen-de" find Van der Berg and Jansen-de Vries; "alil" finds nobody).
    Words, not parts of words, because the words are indexed (Client.name_search): a search
    for parts of a name read every client of the team."""
    term = term.strip()
    if not term:
        return queryset
    bsn = normalise_bsn(term)
    if bsn.isdigit():
        return clients_with_bsn(queryset, bsn)
    words = NAME_WORD.findall(term)
    if not words:
        return queryset.none()
    # Only letters and digits reach to_tsquery, each quoted as one lexeme with a prefix match
    # (:*): no search syntax of the user's. PostgreSQL lower-cases them as it did the names.
    prefixes = " & ".join(f"'{word}':*" for word in words)
    return queryset.filter(name_search=SearchQuery(prefixes, search_type="raw", config="simple"))


@dataclasses.dataclass(frozen=True)
class TimelineEvent:
    date: datetime.date
    kind: str
    description: str


def client_timeline(client: Client) -> list[TimelineEvent]:
    """What happened to a client, newest first, from the prefetched histories (no queries)."""
    from django.utils.translation import gettext as _

    events: list[TimelineEvent] = []
    for period in client.benefit_periods.all():
        events.append(
            TimelineEvent(
                period.start_date,
                "benefit",
                _("Benefit started (%(scheme)s)") % {"scheme": period.get_scheme_display()},
            )
        )
        if period.end_date:
            events.append(
                TimelineEvent(
                    period.end_date,
                    "benefit",
                    _("Benefit ended: %(reason)s") % {"reason": period.get_end_reason_display()},
                )
            )
    for assignment in client.group_assignments.all():
        events.append(
            TimelineEvent(
                assignment.start_date,
                "group",
                _("Client group: %(group)s") % {"group": assignment.group.name},
            )
        )
    for measurement in client.ladder_measurements.all():
        events.append(
            TimelineEvent(
                measurement.measured_on,
                "ladder",
                _("Ladder step %(step)s, target %(target)s")
                % {"step": measurement.step.number, "target": measurement.target_step.number},
            )
        )
    return sorted(events, key=lambda event: event.date, reverse=True)
