"""Retention (clients.retention): who is due, what anonymising removes and keeps, the nightly job,
the command, and that the monitor of a period gives the same figures after its clients were
anonymised."""

import datetime
import io
import logging
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import AccessLog, AccessReason, Notification, PolicySettings
from clients import retention
from clients.models import (
    Agreement,
    AgreementReview,
    AgreementStatus,
    BarrierType,
    BenefitPeriod,
    Client,
    ClientGroupAssignment,
    Conversation,
    ConversationAddendum,
    ConversationKind,
    DomainScore,
    EducationLevel,
    Gender,
    HouseholdType,
    LadderMeasurement,
    OutflowReason,
    Plan,
)
from clients.retention import (
    ANONYMISED_NAME,
    REMOVED_TEXT,
    anonymise_clients,
    clients_due_for_anonymisation,
)
from clients.tasks import anonymise_expired_clients
from instruments.models import Placement, Trajectory, TrajectoryStatus, WorkProfile
from monitoring import report
from monitoring.indicators import REGISTRY, Scope
from monitoring.periods import Period
from monitoring.selectors import compute_figures
from tests.api import as_user
from tests.casework.factories import UserFactory
from tests.clients.conversation_factories import (
    AgreementFactory,
    ConversationFactory,
    DomainScoreFactory,
    PlanFactory,
)
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.meeting_factories import MeetingFactory
from tests.instruments.factories import PlacementFactory, TrajectoryFactory, WorkProfileFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)


def d(text):
    return datetime.date.fromisoformat(text)


def in_site_language(text):
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def ended(end, *, start="2010-01-01", team=None, **fields):
    """A client whose one benefit ran from `start` to `end`."""
    client = ClientFactory(**({"team": team} if team else {}), **fields)
    BenefitPeriodFactory(
        client=client, start_date=d(start), end_date=d(end), end_reason=OutflowReason.WORK
    )
    return client


def due_ids(today=TODAY):
    return list(clients_due_for_anonymisation(today=today).values_list("pk", flat=True))


# --- Who is due ---------------------------------------------------------------------------------


def test_due_from_the_day_the_retention_period_after_the_last_benefit_ends():
    client = ended("2015-06-30")  # ten years (the default) end on 30 June 2025

    assert due_ids(d("2025-06-29")) == []
    assert due_ids(d("2025-06-30")) == [client.pk]
    assert due_ids(d("2025-07-01")) == [client.pk]
    row = clients_due_for_anonymisation(today=TODAY).get()
    assert (row.last_benefit_end, row.retention_ended) == (d("2015-06-30"), d("2025-06-30"))


def test_the_last_of_several_benefits_counts():
    client = ended("2012-01-31")
    BenefitPeriodFactory(
        client=client, start_date=d("2014-01-01"), end_date=d("2016-03-31"), end_reason="moved"
    )

    assert due_ids(d("2026-03-30")) == []
    assert due_ids(d("2026-03-31")) == [client.pk]


def test_a_client_with_an_open_benefit_is_never_due():
    client = ended("2010-12-31")
    BenefitPeriodFactory(client=client, start_date=d("2024-01-01"))

    assert due_ids(d("2100-01-01")) == []


def test_a_benefit_shared_as_the_partner_counts_too():
    client = ended("2010-12-31")
    other = ClientFactory()
    shared = BenefitPeriodFactory(client=other, partner=client, start_date=d("2012-01-01"))

    assert due_ids(d("2100-01-01")) == []  # still on the partner's benefit

    shared.end_date, shared.end_reason = d("2018-05-31"), OutflowReason.WORK
    shared.save()
    assert due_ids(d("2028-05-30")) == []
    assert due_ids(d("2028-05-31")) == [client.pk, other.pk]


def test_an_anonymised_client_is_not_due_again():
    client = ended("2010-12-31")
    Client.objects.filter(pk=client.pk).update(anonymised_at=timezone.now())

    assert due_ids() == []


def test_the_period_is_the_policy_setting():
    client = ended("2019-06-30")
    assert due_ids() == []

    policy = PolicySettings.load()
    policy.retention_years = 6
    policy.save()

    assert due_ids() == [client.pk]
    assert clients_due_for_anonymisation(today=TODAY).get().retention_ended == d("2025-06-30")


def test_a_client_never_on_benefit_is_counted_from_registration():
    client = ClientFactory()
    registered = timezone.make_aware(datetime.datetime(2015, 7, 1, 10, 0))
    Client.objects.filter(pk=client.pk).update(created_at=registered)

    assert due_ids(d("2025-06-30")) == []
    assert due_ids(d("2025-07-01")) == [client.pk]
    row = clients_due_for_anonymisation(today=d("2025-07-01")).get()
    assert (row.last_benefit_end, row.retention_ended) == (None, d("2025-07-01"))


def test_a_later_conversation_restarts_the_period(consultant_a):
    client = ended("2010-06-30")
    ConversationFactory(client=client, consultant=consultant_a, held_on=d("2016-03-01"))

    assert due_ids(d("2026-02-28")) == []
    assert due_ids(d("2026-03-01")) == [client.pk]
    row = clients_due_for_anonymisation(today=d("2026-03-01")).get()
    assert (row.last_benefit_end, row.last_worked_on) == (d("2010-06-30"), d("2016-03-01"))


def test_a_later_plan_restarts_the_period(consultant_a):
    client = ended("2010-06-30")
    PlanFactory(client=client, drawn_up_by=consultant_a, drawn_up_on=d("2017-09-15"))

    assert due_ids(d("2027-09-14")) == []
    assert due_ids(d("2027-09-15")) == [client.pk]


def test_earlier_conversations_and_plans_leave_the_benefit_end(consultant_a):
    client = ended("2015-06-30")
    ConversationFactory(client=client, consultant=consultant_a, held_on=d("2014-01-10"))
    PlanFactory(client=client, drawn_up_by=consultant_a, drawn_up_on=d("2013-05-01"))

    assert due_ids(d("2025-06-29")) == []
    assert due_ids(d("2025-06-30")) == [client.pk]


def test_a_client_never_on_benefit_who_is_still_worked_with_is_not_due(consultant_a):
    client = ClientFactory()
    registered = timezone.make_aware(datetime.datetime(2015, 7, 1, 10, 0))
    Client.objects.filter(pk=client.pk).update(created_at=registered)
    ConversationFactory(client=client, consultant=consultant_a, held_on=d("2025-05-20"))

    assert due_ids(d("2025-07-01")) == []
    assert due_ids(d("2035-05-19")) == []
    assert due_ids(d("2035-05-20")) == [client.pk]


def test_the_registration_does_not_count_once_there_was_a_benefit():
    # A benefit recorded after the fact: it ended before the client was registered here.
    client = ended("2014-12-31")
    registered = timezone.make_aware(datetime.datetime(2016, 1, 4, 9, 0))
    Client.objects.filter(pk=client.pk).update(created_at=registered)

    assert due_ids(d("2024-12-30")) == []
    assert due_ids(d("2024-12-31")) == [client.pk]


def test_an_open_benefit_keeps_a_client_without_recent_conversations(consultant_a):
    client = ClientFactory()
    BenefitPeriodFactory(client=client, start_date=d("2000-01-01"))
    ConversationFactory(client=client, consultant=consultant_a, held_on=d("2001-01-01"))
    PlanFactory(client=client, drawn_up_by=consultant_a, drawn_up_on=d("2001-02-01"))

    assert due_ids(d("2100-01-01")) == []


def test_selecting_is_one_query(django_assert_num_queries):
    for end in ("2010-01-31", "2011-01-31", "2012-01-31"):
        client = ended(end)
        ConversationFactory(client=client, held_on=d(end))
        PlanFactory(client=client, drawn_up_on=d(end))
    PolicySettings.load()  # cached after the first read

    with django_assert_num_queries(2):  # the policy settings and the clients
        assert len(due_ids()) == 3


# --- What anonymising removes and keeps ----------------------------------------------------------


SECRET = "GEHEIM"


def secret(field):
    return f"{SECRET} {field}"


@pytest.fixture
def full_file(team_a, consultant_a):
    """A client with every kind of personal data and free text, ten years after their benefit."""
    client = ended(
        "2014-12-31",
        start="2012-03-01",
        team=team_a,
        first_name=secret("first name"),
        surname_prefix="van",
        last_name=secret("last name"),
        date_of_birth=d("1970-04-12"),
        gender=Gender.MALE,
        street=secret("street"),
        house_number="12a",
        postcode="7411 AB",
        city=secret("city"),
        neighbourhood=secret("neighbourhood"),
        phone="0612345678",
        email="geheim@example.org",
        household_type=HouseholdType.SINGLE_PARENT,
        education_level=EducationLevel.HIGHER,
        is_status_holder=True,
    )
    client.consultants.add(consultant_a)
    client.barriers.add(BarrierType.objects.first())
    LadderMeasurementFactory(client=client, measured_on=d("2012-04-01"), note=secret("ladder"))
    ClientGroupAssignmentFactory(client=client, start_date=d("2012-04-01"), reason=secret("group"))
    conversation = ConversationFactory(
        client=client,
        consultant=consultant_a,
        kind=ConversationKind.PROGRESS,
        held_on=d("2013-02-01"),
        completed=True,
        notes=secret("notes"),
        urgent_action=secret("urgent"),
        ambition=secret("ambition"),
        wellbeing=secret("wellbeing"),
        living_situation=secret("living"),
        group_change_reason=secret("group change"),
    )
    DomainScoreFactory(conversation=conversation, note=secret("domain"))
    ConversationAddendum.objects.create(
        conversation=conversation, author=consultant_a, text=secret("addendum")
    )
    plan = PlanFactory(
        client=client, drawn_up_by=consultant_a, drawn_up_on=d("2012-05-01"), goals=secret("plan")
    )
    agreement = AgreementFactory(
        plan=plan,
        description=secret("agreement"),
        status=AgreementStatus.MISSED,
        missed_reason=secret("missed"),
    )
    AgreementReview.objects.create(
        conversation=conversation,
        agreement=agreement,
        status=AgreementStatus.MISSED,
        note=secret("review"),
    )
    TrajectoryFactory(
        client=client,
        start_date=d("2012-06-01"),
        planned_end_date=d("2012-12-31"),
        status=TrajectoryStatus.SUCCEEDED,
        end_date=d("2012-12-31"),
        goal=secret("trajectory goal"),
        overridden_rules="Ouder dan 27",
        override_reason=secret("override"),
    )
    PlacementFactory(
        client=client,
        start_date=d("2014-12-01"),
        contract_type="permanent",
        hours_per_week=32,
        placed_by=consultant_a,
    )
    WorkProfileFactory(client=client, hours_per_week=32)
    return client


def rows_of(client):
    """Every row about the client in clients and instruments, as plain values."""
    found = []
    for app in ("clients", "instruments"):
        for model in apps.get_app_config(app).get_models():
            fields = {field.name for field in model._meta.get_fields()}
            if model is Client:
                lookup = {"pk": client.pk}
            elif "client" in fields:
                lookup = {"client": client}
            elif "conversation" in fields:
                lookup = {"conversation__client": client}
            elif "plan" in fields:
                lookup = {"plan__client": client}
            else:
                continue
            found += [(model.__name__, row) for row in model.objects.filter(**lookup).values()]
    return found


def test_every_personal_field_and_free_text_is_removed(full_file):
    assert any(SECRET in str(row) for _model, row in rows_of(full_file))

    assert anonymise_clients(client_ids=[full_file.pk], today=TODAY) == [full_file.pk]

    leaks = [(model, row) for model, row in rows_of(full_file) if SECRET in str(row)]
    assert leaks == []
    client = Client.objects.get(pk=full_file.pk)
    assert (client.first_name, client.surname_prefix, client.last_name) == (
        "",
        "",
        in_site_language(ANONYMISED_NAME),
    )
    assert client.full_name == in_site_language(ANONYMISED_NAME)
    assert client.bsn is None
    assert client.bsn_hash is None
    assert [client.street, client.house_number, client.postcode, client.city] == [""] * 4
    assert [client.neighbourhood, client.phone, client.email] == [""] * 3
    assert client.gender == Gender.UNKNOWN
    assert client.anonymised_at is not None

    removed = in_site_language(REMOVED_TEXT)
    conversation = Conversation.objects.get(client=client)
    assert [
        conversation.notes,
        conversation.urgent_action,
        conversation.ambition,
        conversation.wellbeing,
        conversation.living_situation,
        conversation.group_change_reason,
    ] == [removed] * 6
    assert LadderMeasurement.objects.get(client=client).note == removed
    assert ClientGroupAssignment.objects.get(client=client).reason == removed
    assert DomainScore.objects.get(conversation=conversation).note == removed
    assert ConversationAddendum.objects.get(conversation=conversation).text == removed
    assert Plan.objects.get(client=client).goals == removed
    agreement = Agreement.objects.get(plan__client=client)
    assert (agreement.description, agreement.missed_reason) == (removed, removed)
    assert AgreementReview.objects.get(agreement=agreement).note == removed
    trajectory = Trajectory.objects.get(client=client)
    assert (trajectory.goal, trajectory.override_reason) == (removed, removed)


def test_an_empty_free_text_stays_empty(full_file):
    Conversation.objects.filter(client=full_file).update(ambition="")

    anonymise_clients(client_ids=[full_file.pk], today=TODAY)

    conversation = Conversation.objects.get(client=full_file)
    assert conversation.ambition == ""
    assert conversation.notes == in_site_language(REMOVED_TEXT)


def test_the_facts_the_monitors_count_are_kept(full_file, team_a, consultant_a):
    def facts():
        return (
            list(
                Client.objects.filter(pk=full_file.pk).values_list(
                    "date_of_birth",
                    "team",
                    "household_type",
                    "education_level",
                    "is_status_holder",
                    "barriers",
                    "consultants",
                )
            ),
            list(BenefitPeriod.objects.filter(client=full_file).values()),
            list(
                LadderMeasurement.objects.filter(client=full_file).values_list(
                    "step", "target_step", "measured_on"
                )
            ),
            list(
                ClientGroupAssignment.objects.filter(client=full_file).values_list(
                    "group", "start_date", "end_date"
                )
            ),
            list(
                Conversation.objects.filter(client=full_file).values_list(
                    "kind", "status", "held_on", "consultant", "location"
                )
            ),
            list(
                DomainScore.objects.filter(conversation__client=full_file).values_list(
                    "domain", "score"
                )
            ),
            list(
                Plan.objects.filter(client=full_file).values_list("drawn_up_on", "client_signed_on")
            ),
            list(
                Agreement.objects.filter(plan__client=full_file).values_list("status", "due_date")
            ),
            list(
                Trajectory.objects.filter(client=full_file).values_list(
                    "instrument", "start_date", "end_date", "status", "cost", "overridden_rules"
                )
            ),
            list(Placement.objects.filter(client=full_file).values()),
            list(WorkProfile.objects.filter(client=full_file).values("hours_per_week")),
        )

    before = facts()

    anonymise_clients(client_ids=[full_file.pk], today=TODAY)

    assert facts() == before
    assert before[0][0][:2] == (d("1970-04-12"), team_a.pk)


def test_only_clients_that_are_due_are_anonymised(full_file):
    on_benefit = ClientFactory()
    BenefitPeriodFactory(client=on_benefit, start_date=d("2010-01-01"))
    recent = ended("2020-12-31")

    done = anonymise_clients(client_ids=[full_file.pk, on_benefit.pk, recent.pk], today=TODAY)

    assert done == [full_file.pk]
    assert Client.objects.filter(anonymised_at__isnull=True).count() == 2
    assert Client.objects.get(pk=recent.pk).bsn == recent.bsn


def test_the_access_log_is_left_alone(full_file, consultant_a):
    AccessLog.objects.create(
        user=consultant_a,
        client_id=full_file.pk,
        view="clients:detail",
        path=f"/clienten/{full_file.pk}/",
        reason=AccessReason.CASEWORK,
    )
    before = list(AccessLog.objects.values())

    anonymise_clients(client_ids=[full_file.pk], today=TODAY)

    assert list(AccessLog.objects.values()) == before


def test_anonymising_costs_the_same_queries_for_more_clients():
    def queries(count):
        ids = [ended("2010-01-31").pk for _ in range(count)]
        with CaptureQueriesContext(connection) as context:
            assert len(anonymise_clients(client_ids=ids, today=TODAY)) == count
        return len(context.captured_queries)

    assert queries(1) == queries(4)


def test_the_pages_still_show_an_anonymised_client(client, consultant_a, full_file):
    client.force_login(consultant_a)
    pages = [
        reverse("clients:list") + "?consultant=",  # the whole team, not only one's own caseload
        reverse("clients:detail", args=[full_file.pk]),
    ]
    formerly = [full_file.last_name, full_file.first_name, full_file.bsn, full_file.masked_bsn]
    for url in pages:  # the test shows what it looks for while the client is not anonymised
        page = client.get(url).content.decode()
        assert full_file.last_name in page
        assert full_file.masked_bsn in page
    anonymise_clients(client_ids=[full_file.pk], today=TODAY)

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert [text for text in formerly if text in page] == []
        assert in_site_language(ANONYMISED_NAME) in page


def test_nobody_types_the_personal_data_of_an_anonymised_client_back_in(
    client, consultant_a, full_file
):
    client.force_login(consultant_a)
    update = reverse("clients:update", args=[full_file.pk])
    assert update in client.get(reverse("clients:detail", args=[full_file.pk])).content.decode()
    anonymise_clients(client_ids=[full_file.pk], today=TODAY)

    assert update not in client.get(reverse("clients:detail", args=[full_file.pk])).content.decode()
    assert client.get(update).status_code == 403
    assert client.post(update, {"first_name": "Jan"}).status_code == 403
    full_file.refresh_from_db()
    assert full_file.first_name == ""


def write_urls(client):
    """Every page that writes to a client's file, with a body as the page would post it."""
    conversation = Conversation.objects.get(client=client)
    agreement = Agreement.objects.get(plan__client=client)
    trajectory = Trajectory.objects.get(client=client)
    placement = Placement.objects.get(client=client)
    text = {"notes": "Jan woont nu in de Dorpsstraat", "text": "Jan", "goals": "Jan"}
    return [
        (reverse("clients:update", args=[client.pk]), {"first_name": "Jan"}),
        (reverse("conversations:create", args=[client.pk, "voortgang"]), text),
        (reverse("conversations:update", args=[conversation.pk]), text),
        (reverse("conversations:addendum", args=[conversation.pk]), text),
        (reverse("plans:create", args=[client.pk]), text),
        (reverse("plans:update", args=[client.pk]), text),
        (reverse("plans:signatures", args=[client.pk]), {"client_signed_on": "2025-06-30"}),
        (
            reverse("plans:agreement-status", args=[client.pk, agreement.pk]),
            {"status": AgreementStatus.MISSED, "missed_reason": "Jan"},
        ),
        (reverse("instruments:trajectory-start", args=[client.pk]), {"goal": "Jan"}),
        (reverse("instruments:trajectory-end", args=[client.pk, trajectory.pk]), {}),
        (reverse("instruments:work-profile", args=[client.pk]), {"hours_per_week": "20"}),
        (reverse("instruments:placement-create", args=[client.pk]), {"hours_per_week": "20"}),
        (reverse("instruments:placement-end", args=[client.pk, placement.pk]), {}),
        (reverse("meetings:invite-client", args=[client.pk]), {"meeting": "1"}),
    ]


@pytest.fixture
def anonymised(full_file):
    anonymise_clients(client_ids=[full_file.pk], today=TODAY)
    return Client.objects.get(pk=full_file.pk)


def test_every_write_to_an_anonymised_client_is_refused(client, consultant_a, anonymised):
    before = rows_of(anonymised)
    client.force_login(consultant_a)

    refused = [(url, client.post(url, data).status_code) for url, data in write_urls(anonymised)]

    assert refused == [(url, 403) for url, _data in write_urls(anonymised)]
    assert rows_of(anonymised) == before


def test_the_write_pages_of_an_anonymised_client_are_refused(client, consultant_a, anonymised):
    client.force_login(consultant_a)
    pages = [
        url
        for url, _data in write_urls(anonymised)
        if not url.endswith(("/aanvulling/", "/ondertekening/", "/status/", "/uitnodigen/"))
    ]

    assert [(url, client.get(url).status_code) for url in pages] == [(url, 403) for url in pages]


def test_the_api_refuses_writes_to_an_anonymised_client(api_client, consultant_a, anonymised):
    before = rows_of(anonymised)
    conversation = Conversation.objects.get(client=anonymised)
    trajectory = Trajectory.objects.get(client=anonymised)
    api = as_user(api_client, consultant_a)

    responses = [
        api.post(
            "/api/v1/conversations/",
            {"client": anonymised.pk, "kind": ConversationKind.PROGRESS, "notes": "Jan"},
            format="json",
        ),
        api.patch(f"/api/v1/conversations/{conversation.pk}/", {"notes": "Jan"}, format="json"),
        api.post("/api/v1/trajectories/", {"client": anonymised.pk, "goal": "Jan"}, format="json"),
        api.post(f"/api/v1/trajectories/{trajectory.pk}/end/", {}, format="json"),
    ]

    assert [response.status_code for response in responses] == [403] * 4
    assert rows_of(anonymised) == before


def test_the_dossier_of_an_anonymised_client_offers_no_writes(
    client, consultant_a, full_file, team_a
):
    MeetingFactory(team=team_a)  # an upcoming meeting to invite to
    client.force_login(consultant_a)
    dossier = reverse("clients:detail", args=[full_file.pk])
    conversation = Conversation.objects.get(client=full_file)
    writes = [
        reverse("clients:update", args=[full_file.pk]),
        reverse("conversations:create", args=[full_file.pk, "voortgang"]),
        reverse("plans:create", args=[full_file.pk]),
        reverse("instruments:trajectory-start", args=[full_file.pk]),
        reverse("instruments:work-profile", args=[full_file.pk]),
        reverse("instruments:placement-create", args=[full_file.pk]),
        reverse("meetings:invite-client", args=[full_file.pk]),
    ]
    assert [url for url in writes if url not in client.get(dossier).content.decode()] == []
    anonymise_clients(client_ids=[full_file.pk], today=TODAY)

    page = client.get(dossier).content.decode()
    assert [url for url in writes if url in page] == []
    for other in (
        reverse("conversations:detail", args=[conversation.pk]),
        reverse("plans:detail", args=[full_file.pk]),
    ):
        page = client.get(other).content.decode()
        assert [url for url in writes if url in page] == []
        assert reverse("conversations:addendum", args=[conversation.pk]) not in page
        assert reverse("plans:update", args=[full_file.pk]) not in page


# --- The nightly job and the command -------------------------------------------------------------


def test_the_job_anonymises_logs_ids_without_names_and_is_idempotent(caplog, application_manager):
    due = ended("2010-01-31", first_name="Wilhelmina", last_name="Pietersen")
    kept = ended("2020-01-31", first_name="Johanna", last_name="Smit")
    caplog.set_level(logging.INFO, logger="casework.retention")

    anonymise_expired_clients(TODAY.isoformat())

    assert list(
        Client.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)
    ) == [due.pk]
    records = [r for r in caplog.records if r.name == "casework.retention"]
    assert len(records) == 1 and records[0].levelno == logging.INFO
    message = records[0].getMessage()
    assert str(due.pk) in message and str(kept.pk) not in message
    for personal in ("Wilhelmina", "Pietersen", due.bsn, "Johanna"):
        assert personal not in caplog.text
    anonymised_at = Client.objects.get(pk=due.pk).anonymised_at

    caplog.clear()
    anonymise_expired_clients(TODAY.isoformat())

    assert Client.objects.get(pk=due.pk).anonymised_at == anonymised_at
    assert Client.objects.filter(anonymised_at__isnull=False).count() == 1
    assert Notification.objects.filter(user=application_manager).count() == 1


def test_the_application_managers_are_notified_once_a_day(
    application_manager, consultant_a, policy_officer
):
    other_manager = UserFactory(role=application_manager.role, team=None)
    ended("2010-01-31")
    ended("2010-02-28")

    anonymise_expired_clients(TODAY.isoformat())
    ended("2010-03-31")
    anonymise_expired_clients(TODAY.isoformat())  # the same day: no second notification

    notifications = Notification.objects.order_by("user_id")
    assert [n.user for n in notifications] == [application_manager, other_manager]
    assert {n.key for n in notifications} == {f"retention:{TODAY.isoformat()}"}
    assert all("2" in n.message for n in notifications)

    anonymise_expired_clients((TODAY + datetime.timedelta(days=1)).isoformat())  # nobody due
    assert Notification.objects.count() == 2


def test_the_job_anonymises_in_batches(monkeypatch, caplog):
    monkeypatch.setattr(retention, "BATCH_SIZE", 2)
    ids = [ended("2010-01-31").pk for _ in range(5)]
    caplog.set_level(logging.INFO, logger="casework.retention")

    anonymise_expired_clients(TODAY.isoformat())

    assert not Client.objects.filter(anonymised_at__isnull=True).exists()
    assert f"5 clients anonymised: {','.join(map(str, ids))}" in caplog.text


def test_nothing_due_is_logged_and_notifies_nobody(caplog, application_manager):
    caplog.set_level(logging.INFO, logger="casework.retention")

    anonymise_expired_clients(TODAY.isoformat())

    assert "0 clients anonymised" in caplog.text
    assert not Notification.objects.exists()


def test_beat_runs_the_job_hourly_at_night():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "clients.tasks.anonymise_expired_clients"
    ]
    assert len(entries) == 1
    assert entries[0]["schedule"].hour == {3, 4, 5}


def call(*args):
    out = io.StringIO()
    call_command("anonymise_clients", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_the_clients_that_are_due_and_writes_nothing():
    first = ended("2014-03-31", first_name="Wilhelmina", last_name="Pietersen")
    never = ClientFactory(first_name="Johanna")
    Client.objects.filter(pk=never.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2015, 1, 2, 12, 0))
    )
    ended("2020-01-31")
    before = list(Client.objects.order_by("pk").values())

    with CaptureQueriesContext(connection) as context:
        out = call("--dry-run", "--today", "2025-06-30")

    assert not [q for q in context.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert list(Client.objects.order_by("pk").values()) == before
    lines = out.splitlines()
    assert lines[1:3] == [f"{first.pk}\t2014-03-31\t2024-03-31", f"{never.pk}\t-\t2025-01-02"]
    assert len(lines) == 4
    for personal in ("Wilhelmina", "Pietersen", first.bsn, "Johanna"):
        assert personal not in out


def test_the_command_without_dry_run_anonymises_as_the_job_does(application_manager):
    due = ended("2014-03-31")
    kept = ended("2020-01-31")

    out = call("--today", "2025-06-30")

    assert str(due.pk) in out
    assert Client.objects.get(pk=due.pk).anonymised_at is not None
    assert Client.objects.get(pk=kept.pk).anonymised_at is None
    assert Notification.objects.filter(user=application_manager).exists()


# --- The monitor stays the same -----------------------------------------------------------------


@pytest.fixture
def demo_municipality(settings):
    """The demo municipality (demo.population) with three years of history up to TODAY."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", clients=120, today=TODAY, stdout=io.StringIO())


def test_the_monitor_of_a_past_period_is_the_same_after_anonymising(demo_municipality):
    periods = [Period.quarter(2024, q) for q in (1, 2, 3, 4)] + [
        Period.year(2024),
        Period.quarter(2025, 1),
    ]
    wanted = [(indicator, periods) for indicator in REGISTRY.values()]
    made_at = timezone.now()

    def monitor():
        cache.clear()  # whole past quarters are cached; recompute them
        figures = compute_figures(wanted, Scope(), today=TODAY)
        return figures, report.render_csv(report.collect(Period.year(2024), made_at=made_at))

    # Every benefit still open ends today, so every client can be anonymised; the figures of
    # periods that ended before today do not depend on it (and are taken after it anyway).
    BenefitPeriod.objects.filter(end_date__isnull=True).update(
        end_date=TODAY, end_reason=OutflowReason.OTHER
    )
    before = monitor()

    anonymised = anonymise_clients(
        client_ids=Client.objects.values_list("pk", flat=True), today=d("2100-01-01")
    )
    after = monitor()

    assert len(anonymised) == Client.objects.count() > 100
    assert not Client.objects.filter(bsn__isnull=False).exists()
    assert after == before
    assert any(figure.value not in (None, 0, Decimal(0)) for figure in before[0].values())
