import rules

from casework.rules import can_see_persons, is_application_manager, is_consultant, is_manager


@rules.predicate
def is_anonymised(user, client) -> bool:
    """The client's retention period ended and their personal data was removed (clients.retention):
    nobody types it back in. Without a client (a view's check before the look-up) False."""
    return client is not None and client.anonymised_at is not None


# Object scope (which clients) is decided by clients.selectors.clients_for_user.
rules.add_perm("clients.view_client", can_see_persons)
rules.add_perm("clients.add_client", is_consultant)
rules.add_perm("clients.change_client", is_consultant & ~is_anonymised)
rules.add_perm("clients.import_clients", is_application_manager)

for model in (
    "clientgroup",
    "ladderstep",
    "barriertype",
    "lifedomain",
    "screeningquestion",
    "partner",
):
    for action in ("view", "add", "change"):
        rules.add_perm(f"clients.{action}_{model}", is_application_manager)

# Privacy (clients.privacy): the application manager searches the access log and answers
# subject access requests (inzageverzoeken), for any client of the municipality.
for _name in ("clients.view_access_log", "clients.subject_access"):
    rules.add_perm(_name, is_application_manager)


# --- Deleting a client registered in error (issue 7; clients.deletion) ---
# A team leader; which clients (their own team's) is clients.selectors' scoping, as for every view.
rules.add_perm("clients.delete_client", is_manager)
# --- end deleting a client ---
