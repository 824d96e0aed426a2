import rules

from casework.rules import can_see_persons, is_application_manager, is_consultant

# Object scope (which clients) is decided by clients.selectors.clients_for_user.
rules.add_perm("clients.view_client", can_see_persons)
rules.add_perm("clients.add_client", is_consultant)
rules.add_perm("clients.change_client", is_consultant)
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
