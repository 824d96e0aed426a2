"""Permissions of the monitoring app (django-rules).

The periodic monitor is aggregates only. Policy staff request and rebuild monitors; team leaders
and the application manager read and download them. Consultants do not: they work with persons.
Targets are policy data, maintained by the application manager in /beheer/.
"""

import rules

from casework.rules import is_application_manager, is_manager, is_policy_officer

rules.add_perm("monitoring.view_report", is_policy_officer | is_manager | is_application_manager)
rules.add_perm("monitoring.add_report", is_policy_officer)
# The dashboard (aggregates; a team leader also sees their team's caseload per consultant).
rules.add_perm("monitoring.view_dashboard", is_manager | is_policy_officer | is_application_manager)

for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"monitoring.{action}_target", is_application_manager)
