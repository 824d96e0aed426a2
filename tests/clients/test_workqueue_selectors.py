"""The due-date rules of the work queue (clients.workqueue.selectors), per klantgroep."""

import datetime

import pytest

from casework.models import PolicySettings
from clients.models import (
    AgreementStatus,
    Attendance,
    Client,
    ClientGroup,
    ConversationKind,
    QueueItemKind,
)
from clients.workqueue.selectors import (
    Window,
    client_due_dates,
    newly_overdue_items,
    queue_counts,
    queue_items,
)
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.meeting_factories import InvitationFactory, MeetingFactory
from tests.clients.plan_factories import AgreementFactory, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 2)
BENEFIT_START = datetime.date(2024, 1, 10)
GROUP_START = datetime.date(2024, 2, 1)


def group(code):
    return ClientGroup.objects.get(code=code)


def on_benefit(client=None, *, team=None, group_code="groeien", group_start=GROUP_START):
    """A client on benefit since BENEFIT_START, in a klantgroep since `group_start`."""
    client = client or ClientFactory(**({"team": team} if team else {}))
    BenefitPeriodFactory(client=client, start_date=BENEFIT_START)
    if group_code:
        ClientGroupAssignmentFactory(client=client, group=group(group_code), start_date=group_start)
    return client


def held(client, kind, on, *, completed=True):
    return ConversationFactory(client=client, kind=kind, held_on=on, completed=completed)


def move(client, to, on):
    """Close the current group assignment and open one in `to`, as a conversation would."""
    client.group_assignments.filter(end_date__isnull=True).update(
        end_date=on - datetime.timedelta(days=1)
    )
    ClientGroupAssignmentFactory(client=client, group=group(to), start_date=on)


def due(client, kind, today=TODAY):
    dates = client_due_dates(client, today=today, policy=PolicySettings.load())
    by_kind = {item.kind: item.due for item in dates.conversations}
    by_kind[QueueItemKind.INACTIVE] = dates.inactive.due
    return by_kind[kind]


# --- progress -----------------------------------------------------------------------------------


def test_groeien_is_due_a_year_after_the_group_start_without_conversations():
    client = on_benefit(group_code="groeien")
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 2, 1)


def test_faciliteren_and_zorgen_are_due_every_six_months():
    for code in ("faciliteren", "zorgen"):
        client = on_benefit(group_code=code)
        assert due(client, QueueItemKind.PROGRESS) == datetime.date(2024, 8, 1), code


def test_matchen_has_no_periodic_progress_conversation():
    client = on_benefit(group_code="matchen")
    assert due(client, QueueItemKind.PROGRESS) is None


def test_no_client_group_means_no_progress_or_legality_due():
    client = on_benefit(group_code=None)
    assert due(client, QueueItemKind.PROGRESS) is None
    assert due(client, QueueItemKind.LEGALITY_REVIEW) is None


def test_the_last_completed_progress_or_ambition_conversation_restarts_the_rhythm():
    client = on_benefit(group_code="faciliteren")
    held(client, ConversationKind.PROGRESS, datetime.date(2024, 9, 15))
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 3, 15)
    held(client, ConversationKind.AMBITION, datetime.date(2024, 11, 20))
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 5, 20)


def test_drafts_and_other_kinds_do_not_count_as_a_progress_conversation():
    client = on_benefit(group_code="groeien")
    held(client, ConversationKind.PROGRESS, datetime.date(2025, 1, 5), completed=False)
    held(client, ConversationKind.COACHING, datetime.date(2025, 1, 6))
    held(client, ConversationKind.LEGALITY_REVIEW, datetime.date(2025, 1, 7))
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 2, 1)


def test_moving_from_groeien_to_faciliteren_starts_the_new_rhythm_at_the_move():
    client = on_benefit(group_code="groeien")
    held(client, ConversationKind.PROGRESS, datetime.date(2024, 6, 1))
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 6, 1)
    move(client, "faciliteren", datetime.date(2025, 1, 15))
    # Six months after the move, not six months after the last conversation (long overdue).
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 7, 15)


def test_moving_from_groeien_to_matchen_stops_the_progress_rhythm():
    client = on_benefit(group_code="groeien")
    held(client, ConversationKind.PROGRESS, datetime.date(2024, 3, 1))
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 3, 1)
    move(client, "matchen", datetime.date(2025, 3, 1))
    assert due(client, QueueItemKind.PROGRESS) is None


def test_a_conversation_after_the_move_counts_from_its_date():
    client = on_benefit(group_code="groeien")
    move(client, "zorgen", datetime.date(2024, 10, 1))
    held(client, ConversationKind.PROGRESS, datetime.date(2025, 1, 10))
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2025, 7, 10)


def test_the_rhythm_is_policy_data_the_application_manager_edits():
    client = on_benefit(group_code="groeien")
    ClientGroup.objects.filter(code="groeien").update(progress_conversations_per_year=4)
    assert due(client, QueueItemKind.PROGRESS) == datetime.date(2024, 5, 1)
    ClientGroup.objects.filter(code="groeien").update(progress_conversations_per_year=0)
    assert due(client, QueueItemKind.PROGRESS) is None


# --- legality review ------------------------------------------------------------------------------


def test_faciliteren_needs_a_legality_review_every_two_years():
    client = on_benefit(group_code="faciliteren")
    assert due(client, QueueItemKind.LEGALITY_REVIEW) == datetime.date(2026, 2, 1)
    held(client, ConversationKind.LEGALITY_REVIEW, datetime.date(2025, 3, 3))
    assert due(client, QueueItemKind.LEGALITY_REVIEW) == datetime.date(2027, 3, 3)


def test_other_groups_check_legality_within_their_conversations():
    for code in ("matchen", "groeien", "zorgen"):
        assert due(on_benefit(group_code=code), QueueItemKind.LEGALITY_REVIEW) is None, code


def test_moving_into_faciliteren_starts_the_legality_clock_at_the_move():
    client = on_benefit(group_code="groeien")
    held(client, ConversationKind.LEGALITY_REVIEW, datetime.date(2020, 5, 5))
    move(client, "faciliteren", datetime.date(2025, 4, 1))
    assert due(client, QueueItemKind.LEGALITY_REVIEW) == datetime.date(2027, 4, 1)
    move(client, "zorgen", datetime.date(2025, 5, 1))
    assert due(client, QueueItemKind.LEGALITY_REVIEW) is None


# --- ambition -----------------------------------------------------------------------------------


def test_the_ambition_conversation_is_due_weeks_after_the_benefit_starts():
    client = on_benefit()
    assert due(client, QueueItemKind.AMBITION) == BENEFIT_START + datetime.timedelta(days=28)
    PolicySettings.objects.filter(pk=1).update(ambition_within_days=14)
    assert due(client, QueueItemKind.AMBITION) == BENEFIT_START + datetime.timedelta(days=14)


def test_a_completed_ambition_conversation_means_none_is_due_a_draft_does_not():
    client = on_benefit()
    held(client, ConversationKind.AMBITION, datetime.date(2024, 2, 1), completed=False)
    assert due(client, QueueItemKind.AMBITION) is not None
    held(client, ConversationKind.AMBITION, datetime.date(2024, 2, 2))
    assert due(client, QueueItemKind.AMBITION) is None


# --- inactivity ---------------------------------------------------------------------------------


def test_inactivity_counts_from_the_latest_activity_of_any_kind():
    client = on_benefit(group_start=datetime.date(2024, 2, 1))
    after_90_days = datetime.timedelta(days=90)
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2024, 2, 1) + after_90_days
    LadderMeasurementFactory(client=client, measured_on=datetime.date(2024, 6, 1))
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2024, 6, 1) + after_90_days
    PlanFactory(client=client, drawn_up_on=datetime.date(2024, 9, 1))
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2024, 9, 1) + after_90_days
    held(client, ConversationKind.COACHING, datetime.date(2025, 1, 1))
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2025, 1, 1) + after_90_days
    held(client, ConversationKind.COACHING, datetime.date(2025, 5, 1), completed=False)
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2025, 1, 1) + after_90_days
    PolicySettings.objects.filter(pk=1).update(inactivity_days=30)
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2025, 1, 31)


def test_attending_a_meeting_is_activity_and_missing_one_is_not():
    client = on_benefit(group_start=datetime.date(2024, 2, 1))
    after_90_days = datetime.timedelta(days=90)
    missed = MeetingFactory(team=client.team, date=datetime.date(2024, 4, 1))
    InvitationFactory(meeting=missed, client=client, attendance=Attendance.ABSENT_WITHOUT_NOTICE)
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2024, 2, 1) + after_90_days
    attended = MeetingFactory(team=client.team, date=datetime.date(2024, 5, 1))
    InvitationFactory(meeting=attended, client=client, attendance=Attendance.PRESENT)
    assert due(client, QueueItemKind.INACTIVE) == datetime.date(2024, 5, 1) + after_90_days


# --- the queue ----------------------------------------------------------------------------------


def window(today=TODAY):
    return Window.starting(today, PolicySettings.load())


def items(clients, today=TODAY):
    return [
        (row["item_client"], row["item_kind"], row["item_due"])
        for row in queue_items(clients, window=window(today), policy=PolicySettings.load())
    ]


def test_only_clients_on_benefit_have_anything_due():
    client = on_benefit(group_code="groeien")
    client.benefit_periods.update(end_date=datetime.date(2025, 1, 1), end_reason="work")
    assert items(Client.objects.all()) == []
    assert (
        queue_counts(Client.objects.all(), window=window(), policy=PolicySettings.load()).total == 0
    )
    assert client_due_dates(client, today=TODAY, policy=PolicySettings.load()) is None


def test_one_clients_due_dates_follow_the_day_and_the_policy_settings_asked_for():
    """client_due_dates keeps its query for the last day and policy settings: another day, or
    changed settings, must never be answered from the kept one."""
    client = on_benefit()
    plan = PlanFactory(client=client, drawn_up_on=datetime.date(2025, 1, 1))
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 5, 1))
    policy = PolicySettings.load()
    earlier = datetime.date(2025, 4, 1)
    assert client_due_dates(client, today=TODAY, policy=policy).agreements_overdue == 1
    assert client_due_dates(client, today=earlier, policy=policy).agreements_overdue == 0
    assert client_due_dates(client, today=TODAY, policy=policy).agreements_overdue == 1
    ambition = client_due_dates(client, today=TODAY, policy=policy).conversations[0]
    assert ambition.due == BENEFIT_START + datetime.timedelta(days=policy.ambition_within_days)
    policy.ambition_within_days = 14  # not saved: the settings as given count, not the stored
    ambition = client_due_dates(client, today=TODAY, policy=policy).conversations[0]
    assert ambition.due == BENEFIT_START + datetime.timedelta(days=14)


def test_overdue_and_due_soon_items_oldest_first_with_agreements_of_the_current_plan():
    client = on_benefit(group_code="faciliteren")  # progress due 2024-08-01
    held(client, ConversationKind.AMBITION, datetime.date(2025, 5, 20))  # activity, ambition held
    # progress now due 2025-11-20: not soon. Legality review due 2026-02-01: not soon.
    old_plan = PlanFactory(client=client, drawn_up_on=datetime.date(2024, 3, 1))
    AgreementFactory(plan=old_plan, due_date=datetime.date(2024, 6, 1))  # not the current plan
    plan = PlanFactory(client=client, drawn_up_on=datetime.date(2025, 1, 1))
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 5, 1))
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 6, 20))  # due soon
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 4, 1), status=AgreementStatus.DONE)
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 9, 1))  # later than the window
    other = on_benefit(group_code="groeien")  # progress 2025-02-01, ambition 2024-02-07
    # The other client: ambition 28 days after the benefit, no activity since the group start,
    # progress a year after it.
    assert items(Client.objects.all()) == [
        (other.pk, "ambition", datetime.date(2024, 2, 7)),
        (other.pk, "inactive", datetime.date(2024, 5, 1)),
        (other.pk, "progress", datetime.date(2025, 2, 1)),
        (client.pk, "agreement", datetime.date(2025, 5, 1)),
        (client.pk, "agreement", datetime.date(2025, 6, 20)),
    ]


def test_agreements_due_on_one_day_follow_their_id_on_every_page():
    client = on_benefit(group_code="faciliteren")
    plan = PlanFactory(client=client, drawn_up_on=datetime.date(2025, 1, 1))
    # Written in descending id order, so the rows lie on disk (and in any index) the other way.
    same_day = [
        AgreementFactory(pk=10**6 - n, plan=plan, due_date=datetime.date(2025, 5, 1))
        for n in range(12)
    ]

    def rows():
        return queue_items(Client.objects.all(), window=window(), policy=PolicySettings.load())

    listed = [row["item_agreement"] for row in rows()]
    agreements = [row["item_agreement"] for row in rows() if row["item_kind"] == "agreement"]
    assert agreements == sorted(agreement.pk for agreement in same_day)
    # Paged in the database (a query per page), as the work queue page does: each agreement on
    # one page only.
    paged = [
        row["item_agreement"]
        for start in range(0, len(listed), 5)
        for row in rows()[start : start + 5]
    ]
    assert paged == listed


def test_the_counts_match_the_items():
    client = on_benefit(group_code="faciliteren")
    plan = PlanFactory(client=client, drawn_up_on=datetime.date(2025, 1, 1))
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 5, 1))
    AgreementFactory(plan=plan, due_date=datetime.date(2025, 6, 20))
    on_benefit(group_code="groeien")
    held(on_benefit(group_code="zorgen"), ConversationKind.PROGRESS, datetime.date(2024, 12, 20))
    clients = Client.objects.all()
    counts = queue_counts(clients, window=window(), policy=PolicySettings.load())
    listed = items(clients)
    assert counts.total == len(listed)
    by_kind = {count.kind: count for count in counts.kinds}
    for kind in QueueItemKind:
        overdue = [i for i in listed if i[1] == kind and i[2] < TODAY]
        soon = [i for i in listed if i[1] == kind and i[2] >= TODAY]
        assert (by_kind[kind].overdue, by_kind[kind].due_soon) == (len(overdue), len(soon)), kind
    assert by_kind[QueueItemKind.AGREEMENT].overdue == 1
    assert by_kind[QueueItemKind.AGREEMENT].due_soon == 1
    assert (by_kind[QueueItemKind.PROGRESS].overdue, by_kind[QueueItemKind.PROGRESS].due_soon) == (
        2,
        1,  # zorgen: due 2025-06-20, within the 28 days ahead
    )


def test_newly_overdue_items_are_those_due_since_the_last_run_up_to_yesterday():
    client = on_benefit(group_code="groeien")  # progress due 2025-02-01
    clients = Client.objects.filter(pk=client.pk)
    policy = PolicySettings.load()

    def newly(today, since):
        rows = newly_overdue_items(clients, today=today, since=since, policy=policy)
        return [(row["item_kind"], row["item_due"]) for row in rows]

    assert newly(datetime.date(2025, 2, 1), datetime.date(2025, 1, 31)) == []  # due today
    assert newly(datetime.date(2025, 2, 2), datetime.date(2025, 2, 1)) == [
        ("progress", datetime.date(2025, 2, 1))
    ]
    assert newly(datetime.date(2025, 2, 3), datetime.date(2025, 2, 2)) == []  # already reported
    # A week without runs is caught up.
    assert ("progress", datetime.date(2025, 2, 1)) in newly(
        datetime.date(2025, 2, 8), datetime.date(2025, 1, 30)
    )
