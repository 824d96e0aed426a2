"""The daily job: QueueSnapshot rows, notifications of newly overdue items, the e-mail summary."""

import datetime

import pytest
from django.urls import reverse

from casework.models import Notification, Role
from clients import tasks
from clients.models import ClientGroup, QueueItemKind, QueueSnapshot
from clients.workqueue.services import record_work_queue
from tests.casework.factories import UserFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
)
from tests.clients.plan_factories import AgreementFactory, PlanFactory

pytestmark = pytest.mark.django_db

GROUP_START = datetime.date(2024, 3, 1)
PROGRESS_DUE = datetime.date(2025, 3, 1)  # Groeien: a year after the group start


@pytest.fixture
def person(consultant_a, team_a):
    """In consultant A's caseload: ambition overdue since long, progress due on PROGRESS_DUE,
    inactive from 90 days after the group start."""
    client = ClientFactory(team=team_a, first_name="Anna", last_name="Jansen", bsn="123456782")
    client.consultants.add(consultant_a)
    BenefitPeriodFactory(client=client, start_date=datetime.date(2024, 1, 1))
    ClientGroupAssignmentFactory(
        client=client, group=ClientGroup.objects.get(code="groeien"), start_date=GROUP_START
    )
    return client


@pytest.fixture(autouse=True)
def email_off(settings):
    settings.NOTIFY_BY_EMAIL = False


@pytest.fixture
def email_on(settings):
    settings.NOTIFY_BY_EMAIL = True


def snapshot_rows():
    return sorted(
        QueueSnapshot.objects.values_list("pk", "day", "consultant", "kind", "overdue", "due_soon")
    )


def notification_rows():
    return sorted(Notification.objects.values_list("pk", "user", "key", "message", "url"))


def test_it_records_every_consultant_and_kind_for_the_day(
    person, consultant_a, consultant_b, manager_a, email_on
):
    day = PROGRESS_DUE + datetime.timedelta(days=1)
    run = record_work_queue(day=day)
    assert run.consultants == 2
    rows = {(s.consultant_id, s.kind): (s.overdue, s.due_soon) for s in QueueSnapshot.objects.all()}
    assert set(rows) == {
        (c.pk, kind) for c in (consultant_a, consultant_b) for kind in QueueItemKind
    }
    assert rows[(consultant_a.pk, "ambition")] == (1, 0)
    assert rows[(consultant_a.pk, "progress")] == (1, 0)
    assert rows[(consultant_a.pk, "inactive")] == (1, 0)
    assert rows[(consultant_b.pk, "progress")] == (0, 0)
    assert not QueueSnapshot.objects.filter(consultant=manager_a).exists()


def test_running_twice_on_the_same_day_changes_nothing(person, consultant_a, email_on, mailoutbox):
    consultant_a.email = "a@example.org"
    consultant_a.save()
    day = PROGRESS_DUE + datetime.timedelta(days=1)
    record_work_queue(day=day)
    snapshots, notifications = snapshot_rows(), notification_rows()
    assert len(notifications) == 1
    assert len(mailoutbox) == 1

    run = record_work_queue(day=day)
    tasks.record_work_queue(day.isoformat())  # the Celery task, called directly
    assert snapshot_rows() == snapshots
    assert notification_rows() == notifications
    assert len(mailoutbox) == 1
    assert run.emails_sent == 0


def test_a_re_run_updates_the_day_s_counts_in_place(person, consultant_a):
    day = PROGRESS_DUE + datetime.timedelta(days=1)
    record_work_queue(day=day)
    person.benefit_periods.update(end_date=day, end_reason="work")
    record_work_queue(day=day)
    assert QueueSnapshot.objects.filter(day=day).count() == len(QueueItemKind)
    assert sum(QueueSnapshot.objects.values_list("overdue", flat=True)) == 0


def test_an_item_that_became_overdue_is_notified_without_personal_data(person, consultant_a):
    record_work_queue(day=PROGRESS_DUE)  # due today: not overdue yet
    assert not Notification.objects.exists()
    record_work_queue(day=PROGRESS_DUE + datetime.timedelta(days=1))
    notification = Notification.objects.get()
    assert notification.user == consultant_a
    assert notification.key == f"overdue:progress:{person.pk}:{PROGRESS_DUE.isoformat()}"
    assert notification.url == reverse("clients:detail", args=[person.pk])
    for personal in ("Anna", "Jansen", "123456782", "6782"):
        assert personal not in notification.message
    assert notification.read_at is None and notification.emailed_at is None


def test_items_overdue_before_the_first_run_are_not_notified(person):
    # The ambition conversation was due in January 2024: shown in the queue, never "new".
    record_work_queue(day=datetime.date(2025, 1, 10))
    assert not Notification.objects.exists()
    assert QueueSnapshot.objects.get(kind="ambition").overdue == 1


def test_days_without_a_run_are_caught_up(person):
    record_work_queue(day=PROGRESS_DUE - datetime.timedelta(days=3))
    record_work_queue(day=PROGRESS_DUE + datetime.timedelta(days=4))
    assert list(Notification.objects.values_list("key", flat=True)) == [
        f"overdue:progress:{person.pk}:{PROGRESS_DUE.isoformat()}"
    ]


def test_inactivity_is_notified_the_day_it_becomes_a_signal(person):
    inactive_from = GROUP_START + datetime.timedelta(days=90)
    record_work_queue(day=inactive_from + datetime.timedelta(days=1))
    notification = Notification.objects.get()
    assert notification.key == f"overdue:inactive:{person.pk}:{inactive_from.isoformat()}"


def test_one_summary_e_mail_without_personal_data(person, consultant_a, email_on, mailoutbox):
    consultant_a.email = "a@example.org"
    consultant_a.save()
    UserFactory(role=Role.CONSULTANT, team=consultant_a.team, email="")  # no address: no mail
    record_work_queue(day=PROGRESS_DUE + datetime.timedelta(days=1))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["a@example.org"]
    for personal in ("Anna", "Jansen", "123456782", "6782"):
        assert personal not in mail.subject and personal not in mail.body
    assert Notification.objects.get().emailed_at is not None


def test_at_most_one_e_mail_a_day(person, consultant_a, email_on, mailoutbox):
    consultant_a.email = "a@example.org"
    consultant_a.save()
    plan = PlanFactory(client=person, drawn_up_on=datetime.date(2024, 4, 1))
    AgreementFactory(plan=plan, due_date=PROGRESS_DUE + datetime.timedelta(days=3))
    record_work_queue(day=PROGRESS_DUE + datetime.timedelta(days=1))
    # A later run on the same calendar day (by the clock) finds the agreement newly overdue:
    # notified in the app, but e-mailed only with tomorrow's summary.
    record_work_queue(day=PROGRESS_DUE + datetime.timedelta(days=5))
    assert Notification.objects.count() == 2
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_no_e_mail_when_e_mail_notifications_are_off(person, consultant_a, settings, mailoutbox):
    settings.NOTIFY_BY_EMAIL = False
    consultant_a.email = "a@example.org"
    consultant_a.save()
    record_work_queue(day=PROGRESS_DUE + datetime.timedelta(days=1))
    assert Notification.objects.count() == 1
    assert mailoutbox == []
    assert Notification.objects.get().emailed_at is None
