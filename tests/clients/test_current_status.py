"""The current klantgroep and ladder step PostgreSQL keeps on the client (Client.current_group,
migration 0010): derived from the histories on every kind of write."""

import datetime

import pytest

from clients.models import Client, ClientGroup, ClientGroupAssignment, LadderMeasurement, LadderStep
from demo.saving import take_ids
from tests.clients.factories import (
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.database import second_writer_waits

pytestmark = pytest.mark.django_db


def status(client: Client) -> tuple[str | None, int | None, int | None]:
    """The client's current klantgroep code, ladder step and target step, as stored."""
    return Client.objects.values_list(
        "current_group__code", "current_ladder_step__number", "current_target_step__number"
    ).get(pk=client.pk)


def step(number: int) -> LadderStep:
    return LadderStep.objects.get(number=number)


def group(code: str) -> ClientGroup:
    return ClientGroup.objects.get(code=code)


def measure(client: Client, day: datetime.date, number: int) -> LadderMeasurement:
    return LadderMeasurementFactory(
        client=client, measured_on=day, step=step(number), target_step=step(number + 1)
    )


def test_a_client_without_history_has_no_current_status():
    """Not another client's: the histories are read by the client's own id."""
    other = ClientFactory()
    measure(other, datetime.date(2024, 1, 1), 3)
    ClientGroupAssignmentFactory(client=other, group=group("matchen"))
    assert status(ClientFactory()) == (None, None, None)


def test_the_newest_measurement_is_the_current_step_also_when_an_older_one_comes_later():
    client = ClientFactory()
    measure(client, datetime.date(2024, 5, 1), 3)
    assert status(client) == (None, 3, 4)
    measure(client, datetime.date(2023, 1, 1), 1)  # recorded late, about an earlier date
    assert status(client) == (None, 3, 4)
    measure(client, datetime.date(2024, 5, 1), 2)  # the same day: the later record counts
    assert status(client) == (None, 2, 3)


def test_changing_or_deleting_a_measurement_moves_the_current_step():
    client = ClientFactory()
    older = measure(client, datetime.date(2023, 1, 1), 1)
    newer = measure(client, datetime.date(2024, 1, 1), 4)
    older.measured_on = datetime.date(2025, 1, 1)
    older.save()
    assert status(client) == (None, 1, 2)
    older.delete()
    assert status(client) == (None, 4, 5)
    newer.delete()
    assert status(client) == (None, None, None)


def test_a_measurement_moved_to_another_client_moves_both_statuses():
    first, second = ClientFactory(), ClientFactory()
    measurement = measure(first, datetime.date(2024, 1, 1), 2)
    LadderMeasurement.objects.filter(pk=measurement.pk).update(client=second)
    assert (status(first), status(second)) == ((None, None, None), (None, 2, 3))


def test_the_open_assignment_is_the_current_group():
    client = ClientFactory()
    matchen = ClientGroupAssignmentFactory(client=client, group=group("matchen"))
    assert status(client) == ("matchen", None, None)
    matchen.end_date = datetime.date(2024, 1, 1)
    matchen.save()
    assert status(client) == (None, None, None)
    zorgen = ClientGroupAssignmentFactory(
        client=client, group=group("zorgen"), start_date=datetime.date(2024, 1, 1)
    )
    assert status(client) == ("zorgen", None, None)
    zorgen.delete()
    assert status(client) == (None, None, None)


def test_one_bulk_write_sets_the_status_of_each_of_its_clients():
    clients = ClientFactory.create_batch(3)
    LadderMeasurement.objects.bulk_create(
        LadderMeasurement(
            client=client,
            measured_on=datetime.date(2024, 1, 1),
            step=step(number),
            target_step=step(number + 1),
        )
        for number, client in enumerate(clients, start=1)
    )
    ClientGroupAssignment.objects.bulk_create(
        ClientGroupAssignment(
            client=client, group=group("groeien"), start_date=datetime.date.today()
        )
        for client in clients[:2]
    )
    assert [status(client) for client in clients] == [
        ("groeien", 1, 2),
        ("groeien", 2, 3),
        (None, 3, 4),
    ]


def test_a_client_written_after_its_histories_takes_its_status_from_them():
    """As the demo data is loaded: the histories first (the keys are checked at commit)."""
    (pk,) = take_ids(Client, 1)
    ClientGroupAssignment.objects.create(
        client_id=pk, group=group("zorgen"), start_date=datetime.date(2024, 1, 1)
    )
    LadderMeasurement.objects.create(
        client_id=pk, measured_on=datetime.date(2024, 1, 1), step=step(1), target_step=step(2)
    )
    assert status(ClientFactory(pk=pk)) == ("zorgen", 1, 2)


def test_saving_a_client_read_before_the_change_keeps_the_new_status():
    client = ClientFactory()
    read_before = Client.objects.get(pk=client.pk)
    measure(client, datetime.date(2024, 1, 1), 5)
    ClientGroupAssignmentFactory(client=client, group=group("matchen"))
    read_before.phone = "0570 123456"
    read_before.save()  # writes every column, the stale status too
    assert status(client) == ("matchen", 5, 6)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_measurement_committed_while_another_waits_is_counted():
    """Two consultants record a measurement of one client at once: the one who records the older
    measurement waits for the other's lock on the client, and then counts the newer one that
    was committed in the meantime (a query planned before the wait would not see it)."""
    client = ClientFactory()
    second_writer_waits(
        lambda: measure(client, datetime.date(2024, 1, 1), 4),
        lambda: measure(client, datetime.date(2023, 1, 1), 1),
    )
    assert status(client) == (None, 4, 5)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_client_saved_while_a_measurement_is_recorded_counts_it():
    """A consultant saves the client's personal data while a colleague records a measurement:
    the save waits for the colleague's lock on the client, and then its own recount (the BEFORE
    trigger's, with a fresh snapshot) includes the measurement."""
    client = ClientFactory()
    read_before = Client.objects.get(pk=client.pk)
    read_before.phone = "0570 123456"
    second_writer_waits(
        lambda: measure(client, datetime.date(2024, 1, 1), 4),
        read_before.save,
    )
    assert status(client) == (None, 4, 5)
