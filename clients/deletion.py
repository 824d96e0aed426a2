"""Deleting a client registered in error. Only a file that holds nothing but its registration
(personal data, barriers, consultants, benefit periods, ladder measurements, klantgroepen) may
go; anything else done with the client makes it a file the Archiefwet requires to be kept, until
the retention period ends (then it is anonymised, see clients.retention).

"Anything else" is found through the model's metadata, not a list: every relation to Client,
those of apps that build on clients (instruments' trajecten, placements, work profiles) too,
without importing them. A new model with a foreign key to Client blocks deletion by itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, ForeignObjectRel, Model, OuterRef
from django.utils.translation import gettext as _

from clients.models import BenefitPeriod, Client, ClientGroupAssignment, LadderMeasurement

# The records made when a client is registered: (model, field pointing to the client). Being the
# partner on someone else's benefit (BenefitPeriod.partner) is not one of them.
REGISTRATION_RECORDS: frozenset[tuple[type[Model], str]] = frozenset(
    {
        (BenefitPeriod, "client"),
        (LadderMeasurement, "client"),
        (ClientGroupAssignment, "client"),
    }
)


def _other_relations() -> list[ForeignObjectRel]:
    """Every relation pointing to Client apart from the registration's. get_fields with the
    hidden ones, not related_objects: that leaves out relations without a reverse accessor
    (related_name="+"), such as BenefitPeriod.partner."""
    # The client's own many-to-many fields (barriers, consultants) are part of the registration.
    own_tables = {field.remote_field.through for field in Client._meta.many_to_many}
    return [
        relation
        for relation in Client._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
        and relation.related_model not in own_tables
        and (relation.related_model, relation.field.name) not in REGISTRATION_RECORDS
    ]


def records_beyond_registration(client: Client) -> list[str]:
    """The kinds of record the client has apart from the registration's (a model's plural
    name each, e.g. "conversations"), in one query of EXISTS subqueries."""
    relations = _other_relations()
    exists = {
        f"relation_{index}": Exists(
            relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
        )
        for index, relation in enumerate(relations)
    }
    found = Client.objects.filter(pk=client.pk).annotate(**exists).values_list(*exists).get()
    kinds = {
        str(relation.related_model._meta.verbose_name_plural)
        for relation, has_rows in zip(relations, found, strict=True)
        if has_rows
    }
    return sorted(kinds)


def check_deletable(client: Client) -> None:
    """ValidationError, saying why, when the client has more than the registration's records."""
    kinds = records_beyond_registration(client)
    if kinds:
        raise ValidationError(
            _(
                "%(name)s cannot be deleted: the file holds more than the registration "
                "(%(records)s). It must be kept for the retention period."
            )
            % {"name": client, "records": ", ".join(kinds)},
            code="client_has_records",
        )


@transaction.atomic
def delete_client(*, client: Client) -> None:
    """Delete a client with nothing but the registration's records; ValidationError otherwise.

    The client's row is locked first: a record added at the same moment (its foreign key
    needs a share lock on that row) waits for this deletion and then fails, instead of being
    deleted along with the client unseen."""
    list(Client.objects.select_for_update().filter(pk=client.pk).values_list("pk"))
    check_deletable(client)
    client.delete()
