import datetime
import io
import itertools
import random

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q
from django.test import RequestFactory

from casework.models import JobTitle, Role, Team, User
from clients.bsn import passes_elfproef
from clients.models import (
    Agreement,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    ConversationKind,
    DomainScore,
    Invitation,
    LadderMeasurement,
    Meeting,
)
from demo.bsns import bsn_from_prefix, draw_bsns
from demo.distributions import GROUP_SIZES, GROUPS, fit_joint, quota
from demo.vignettes import VIGNETTES
from instruments.models import Commitment, Trajectory

TODAY = datetime.date(2025, 6, 30)
CLIENTS = 200

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The demo log-ins get real password hashes; the slow default hasher adds seconds per run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> str:
    out = io.StringIO()
    options = {"clients": CLIENTS, "today": TODAY, **options}
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def delete_demo_data() -> None:
    Client.objects.all().delete()  # cascades to the histories and caseload links
    Meeting.objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()


def fingerprint() -> tuple[list[tuple], ...]:
    # The BSN column holds ciphertext (a fresh IV each time): rows are ordered by its keyed hash.
    return (
        list(
            Client.objects.order_by("bsn_hash").values_list(
                "bsn",
                "first_name",
                "surname_prefix",
                "last_name",
                "date_of_birth",
                "gender",
                "street",
                "house_number",
                "postcode",
                "neighbourhood",
                "household_type",
                "education_level",
                "team__name",
                "consultants__username",
            )
        ),
        list(
            BenefitPeriod.objects.order_by("client__bsn_hash", "start_date").values_list(
                "client__bsn", "scheme", "start_date", "end_date", "end_reason"
            )
        ),
        list(
            ClientGroupAssignment.objects.order_by("client__bsn_hash", "start_date").values_list(
                "client__bsn",
                "group__code",
                "start_date",
                "end_date",
                "reason",
                "assigned_by__username",
            )
        ),
        list(
            LadderMeasurement.objects.order_by("client__bsn_hash", "measured_on").values_list(
                "client__bsn",
                "measured_on",
                "step__number",
                "target_step__number",
                "measured_by__username",
                "note",
            )
        ),
        list(
            User.objects.order_by("username").values_list(
                "username", "first_name", "last_name", "role", "job_title", "team__name"
            )
        ),
        list(
            Conversation.objects.order_by("client__bsn_hash", "held_on", "kind", "id").values_list(
                "client__bsn",
                "held_on",
                "kind",
                "status",
                "completed_at",
                "consultant__username",
                "notes",
                "ambition",
                "new_group__code",
                "ladder_step__number",
                "kickoff__title",
            )
        ),
        list(
            DomainScore.objects.order_by(
                "conversation__client__bsn_hash", "conversation__held_on", "domain__position"
            ).values_list("conversation__client__bsn", "domain__code", "score", "note")
        ),
        list(
            Agreement.objects.order_by(
                "plan__client__bsn_hash", "plan__drawn_up_on", "id"
            ).values_list(
                "plan__client__bsn",
                "plan__drawn_up_on",
                "plan__client_signed_on",
                "description",
                "responsible",
                "due_date",
                "status",
                "missed_reason",
                "status_changed_on",
            )
        ),
        list(
            Invitation.objects.order_by("client__bsn_hash", "meeting__date", "id").values_list(
                "client__bsn", "meeting__title", "meeting__date", "invited_on", "attendance"
            )
        ),
        list(
            Trajectory.objects.order_by(
                "client__bsn_hash", "start_date", "instrument__name", "id"
            ).values_list(
                "client__bsn",
                "instrument__name",
                "provider__name",
                "client_group__code",
                "start_date",
                "planned_end_date",
                "cost",
                "status",
                "end_date",
                "early_end_reason",
                "started_by__username",
            )
        ),
        list(
            Commitment.objects.order_by(
                "trajectory__client__bsn_hash",
                "trajectory__start_date",
                "trajectory__instrument__name",
                "trajectory_id",
                "month",
            ).values_list("trajectory__client__bsn", "line__code", "month", "amount")
        ),
    )


def test_seeds_the_requested_number_of_clients_and_reports_it():
    output = seed()

    assert Client.objects.count() == CLIENTS
    assert f"{CLIENTS} clients" in output
    assert "consulent" in output


def foreign_keys() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


def test_the_foreign_keys_dropped_for_loading_are_back_and_checked_at_commit_again():
    before = foreign_keys()

    seed()

    assert foreign_keys() == before
    # Deferred as before: a link to a user that does not exist fails only at commit.
    client = Client.objects.first()
    link = Client.consultants.through.objects.create(client=client, user_id=-1)
    link.delete()


def test_every_bsn_passes_the_elfproef_and_is_unique():
    seed()

    bsns = list(Client.objects.values_list("bsn", flat=True))
    assert len(set(bsns)) == CLIENTS
    assert all(passes_elfproef(bsn) for bsn in bsns)


def test_klantgroepen_have_deventers_proportions():
    seed()

    current = ClientGroupAssignment.objects.filter(end_date__isnull=True)
    counts = dict(current.values_list("group__code").annotate(n=Count("id")))
    total = sum(GROUP_SIZES)
    for code, size in zip(GROUPS, GROUP_SIZES, strict=True):
        assert counts[code] / current.count() == pytest.approx(size / total, abs=0.015)


def test_every_client_has_one_open_group_and_a_gapless_group_history():
    seed()

    # From the ambitiegesprek on; before it the client is in intake, just after inflow.
    with_ambition = Client.objects.filter(conversations__kind=ConversationKind.AMBITION)
    open_counts = with_ambition.annotate(
        open=Count("group_assignments", filter=Q(group_assignments__end_date__isnull=True))
    ).values_list("open", flat=True)
    assert set(open_counts) == {1}
    in_intake = Client.objects.exclude(pk__in=with_ambition)
    assert not in_intake.filter(group_assignments__isnull=False).exists()
    assert not in_intake.filter(
        benefit_periods__end_date__isnull=True,
        benefit_periods__start_date__lt=TODAY - datetime.timedelta(days=45),
    ).exists()
    history: dict[int, list[ClientGroupAssignment]] = {}
    for assignment in ClientGroupAssignment.objects.order_by("client_id", "start_date"):
        history.setdefault(assignment.client_id, []).append(assignment)
    assert any(len(assignments) > 1 for assignments in history.values())
    for assignments in history.values():
        for earlier, later in itertools.pairwise(assignments):
            assert earlier.end_date == later.start_date - datetime.timedelta(days=1)


def test_each_clients_stored_status_is_that_of_its_histories():
    """The clients are loaded after their histories (demo.saving): each computes its current
    klantgroep and ladder step from them as it is written (Client.current_group)."""
    seed()
    open_groups = dict(
        ClientGroupAssignment.objects.filter(end_date__isnull=True).values_list(
            "client_id", "group_id"
        )
    )
    newest: dict[int, tuple[int, int]] = {}
    for client_id, step, target in LadderMeasurement.objects.order_by(
        "client_id", "measured_on", "id"
    ).values_list("client_id", "step_id", "target_step_id"):
        newest[client_id] = (step, target)
    stored = Client.objects.values_list(
        "pk", "current_group_id", "current_ladder_step_id", "current_target_step_id"
    )
    assert open_groups and newest
    assert {pk: (group, (step, target)) for pk, group, step, target in stored} == {
        pk: (open_groups.get(pk), newest.get(pk, (None, None))) for pk, *_ in stored
    }


def test_histories_are_plausible():
    seed()

    with_group = Client.objects.filter(group_assignments__isnull=False).distinct()
    assert not with_group.filter(ladder_measurements__isnull=True).exists()
    assert LadderMeasurement.objects.count() > CLIENTS  # several per client over time
    ended = BenefitPeriod.objects.filter(end_date__isnull=False)
    assert ended.exclude(end_reason="").count() == ended.count() > 0
    assert not BenefitPeriod.objects.filter(start_date__gt=TODAY).exists()
    assert not LadderMeasurement.objects.filter(measured_on__gt=TODAY).exists()
    # Groups and ladder steps go together: Matchen clients stand higher than Zorgen clients.
    latest_steps = {}
    for client_id, step in LadderMeasurement.objects.order_by(
        "client_id", "measured_on", "id"
    ).values_list("client_id", "step__number"):
        latest_steps[client_id] = step
    groups = dict(
        ClientGroupAssignment.objects.filter(end_date__isnull=True).values_list(
            "client_id", "group__code"
        )
    )

    def mean_step(code: str) -> float:
        steps = [latest_steps[client] for client, group in groups.items() if group == code]
        return sum(steps) / len(steps)

    assert mean_step("matchen") > mean_step("groeien") > mean_step("zorgen")


def sign_in(username):
    # django-axes needs the request of a log-in.
    return authenticate(RequestFactory().post("/inloggen/"), username=username, password="demo")


def test_demo_users_can_sign_in_with_their_roles():
    seed()

    consultant = sign_in("consulent")
    manager = sign_in("teamleider")
    policy = sign_in("beleid")
    admin = sign_in("beheer")
    assert consultant.role == Role.CONSULTANT
    assert consultant.job_title == JobTitle.WORK_COACH
    assert manager.role == Role.MANAGER
    assert consultant.team == manager.team == Team.objects.get(name="Team Centrum en Zandweerd")
    assert policy.role == Role.POLICY
    assert policy.team is None
    assert admin.role == Role.ADMIN
    assert admin.is_staff
    others = User.objects.exclude(username__in=["consulent", "teamleider", "beleid", "beheer"])
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


def test_every_client_has_one_consultant_of_its_own_team():
    seed()

    clients = Client.objects.annotate(n=Count("consultants")).prefetch_related("consultants")
    for client in clients:
        assert client.n == 1
        assert client.consultants.get().team_id == client.team_id


def test_vignettes_are_in_the_demo_consultants_caseload():
    seed()

    consultant = User.objects.get(username="consulent")
    caseload = {client.last_name: client for client in consultant.caseload.all()}
    assert len(caseload) > len(VIGNETTES)  # the vignettes and an ordinary caseload
    for vignette in VIGNETTES:
        client = caseload[vignette.last_name]
        assert client.first_name == vignette.first_name
        latest = client.ladder_measurements.select_related("step", "target_step").first()
        assert (latest.step.number, latest.target_step.number) == (vignette.step, vignette.target)
        assert latest.note == vignette.note
    assert caseload["Wolterink"].age_on(TODAY) == 61
    assert caseload["Al-Jaburi"].is_status_holder


def test_same_seed_gives_the_same_data():
    seed(seed=42)
    first = fingerprint()
    delete_demo_data()

    seed(seed=42)

    assert fingerprint() == first


def test_another_seed_gives_other_data():
    seed(seed=1)
    first = fingerprint()
    delete_demo_data()

    seed(seed=2)

    assert fingerprint()[0] != first[0]


def test_if_empty_leaves_an_existing_database_untouched():
    seed()
    before = fingerprint()

    output = seed(if_empty=True, seed=99)

    assert "already has clients" in output
    assert fingerprint() == before


def test_refuses_to_add_to_a_database_with_clients():
    seed()

    with pytest.raises(CommandError, match="already has clients"):
        seed()
    assert Client.objects.count() == CLIENTS


def test_refuses_fewer_clients_than_vignettes():
    with pytest.raises(CommandError, match="needs 8 to"):
        seed(clients=3)
    assert not Client.objects.exists()


def test_draw_bsns_gives_distinct_valid_numbers():
    bsns = draw_bsns(random.Random(1), 5000)  # noqa: S311

    assert len(set(bsns)) == 5000
    assert all(passes_elfproef(bsn) for bsn in bsns)
    assert bsn_from_prefix(1) == "990000011"
    assert bsn_from_prefix(0) is None  # no check digit makes 99000000x pass


def test_fit_joint_meets_both_totals():
    joint = fit_joint([[1, 2, 0], [3, 1, 1]], [40, 60], [50, 30, 20])

    assert [sum(row) for row in joint] == pytest.approx([0.4, 0.6])
    assert [sum(col) for col in zip(*joint, strict=True)] == pytest.approx([0.5, 0.3, 0.2])
    assert joint[0][2] == 0


def test_quota_splits_exactly():
    assert quota(200, GROUP_SIZES) == [21, 56, 61, 62]
    assert sum(quota(2700, GROUP_SIZES)) == 2700
