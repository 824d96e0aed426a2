"""The instruments app's part in anonymising clients whose retention period has ended
(clients.retention): connected to clients.signals.clients_anonymising in InstrumentsConfig.ready,
it runs in the same transaction.

Only free text goes. The facts stay, because the monitors count them (monitoring.indicators:
instruments, budget, durable outflow and inactivity read trajecten, commitments and placements)
or may break figures down by them: instrument, provider, dates, status, cost and commitments of
each traject, the eligibility warnings it was started despite (the rules' own messages, written
by policy, not about the person), each placement's employer, contract and hours, and the work
profile's sectors and hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clients.retention import removed_text
from instruments.models import Trajectory


def remove_free_text(*, client_ids: Sequence[int], **kwargs: Any) -> None:
    """What was written about the clients in their trajecten: the plan goal it serves (copied
    from the plan, itself free text) and the reason for starting despite the warnings."""
    Trajectory.objects.filter(client__in=client_ids).update(
        **removed_text("goal", "override_reason")
    )
