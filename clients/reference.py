"""The reference lists the caseload filter offers on every caseload page: the active klantgroepen,
the ladder steps and the team's consultants. They change a few times a year (the application
manager) or a day (a log-in saves the user), so they are kept in the cache (CACHE_URL, shared by
every web process) and dropped as soon as one of their rows is saved or deleted (connected in
ClientsConfig.ready). CACHE_SECONDS bounds what a change leaves behind that sends no signal (an
update of many rows at once, a data migration) or that Redis missed (unreachable at the time).
Reading them was three queries on every caseload page, one of them of the hundreds of
consultants of a big team (bench/pages.py)."""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from casework.models import Team, User
from clients.models import ClientGroup, LadderStep

CACHE_SECONDS = 600
ACTIVE_GROUPS = "clients:reference:active-groups"
LADDER_STEPS = "clients:reference:ladder-steps"


def team_consultants_key(team_id: int | None) -> str:
    return f"clients:reference:consultants:{team_id}"


def keys_of(model: type[Model]) -> list[str]:
    """The keys of the lists a row of `model` is part of. A user may have moved to another team:
    every team's list of consultants."""
    if model is User:
        teams = [*Team.objects.values_list("pk", flat=True), None]
        return [team_consultants_key(team_id) for team_id in teams]
    return {ClientGroup: [ACTIVE_GROUPS], LadderStep: [LADDER_STEPS]}[model]


def cached(readers: dict[str, Callable[[], list[Any]]]) -> dict[str, list[Any]]:
    """The lists under these keys (keys_of's), from the cache in one round trip; a list missing
    there is read (its reader) and kept."""
    found: dict[str, list[Any]] = cache.get_many(list(readers))
    missing = {key: read() for key, read in readers.items() if key not in found}
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return found | missing


# The fields of a user a list of consultants shows or selects on: a save of others (a log-in's
# last_login) leaves the lists be.
LISTED_USER_FIELDS = {"username", "first_name", "last_name", "role", "is_active", "team", "team_id"}


def forget(sender: type[Model], update_fields: Any = None, **kwargs: Any) -> None:
    """Receiver of post_save and post_delete: drops the lists the changed row is part of, now
    and again once the transaction commits (a page that read the rows in between would have put
    the old ones back)."""
    if sender is User and update_fields is not None and not LISTED_USER_FIELDS & update_fields:
        return
    keys = keys_of(sender)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def connect() -> None:
    for model in (ClientGroup, LadderStep, User):
        post_save.connect(forget, sender=model, dispatch_uid=f"reference-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"reference-delete-{model.__name__}")
