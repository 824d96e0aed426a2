"""Permissions of the instruments app (django-rules).

The budget page shows aggregates only: team leaders, policy staff and the application manager see
it. Consultants do not: they work with persons, and budget control is the team leader's job.
Starting and ending trajecten is case work: `clients.change_client` (consultants), reading them is
`clients.view_client`; which clients is decided by clients.selectors.
"""

import rules

from casework.rules import (
    can_see_persons,
    is_application_manager,
    is_manager,
    is_policy_officer,
)

# The roles that see the budgets (aggregates only).
can_see_budgets = is_manager | is_policy_officer | is_application_manager

rules.add_perm("instruments.view_budget_overview", can_see_budgets)

# The instrument catalogue holds no person data: read by everyone who starts or reads trajecten
# and by the roles that see the budgets the instruments are paid from.
rules.add_perm("instruments.view_catalogue", can_see_persons | can_see_budgets)

# The catalogue and the budgets are policy data, maintained in /beheer/.
for model in ("instrument", "provider", "budgetline", "budget", "allocation"):
    for action in ("view", "add", "change"):
        rules.add_perm(f"instruments.{action}_{model}", is_application_manager)
for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"instruments.{action}_eligibilityrule", is_application_manager)
# The change log is read-only.
rules.add_perm("instruments.view_budgetchange", is_application_manager)

# Employer services: sectors are policy data; employers, vacancies and placements are worked on in
# the application (reading clients.view_client, writing clients.change_client) and corrected in
# /beheer/ by the application manager.
for action in ("view", "add", "change"):
    rules.add_perm(f"instruments.{action}_sector", is_application_manager)
for model in ("employer", "vacancy", "placement"):
    for action in ("view", "change"):
        rules.add_perm(f"instruments.{action}_{model}", is_application_manager)
