"""Hooks through which apps that build on clients take part in its privacy duties, without
clients depending on them."""

from django.dispatch import Signal

# Sent (sender=Client, client=...) when a subject access request (inzageverzoek) is answered.
# Each receiver returns the sections of personal data its app holds on the client.
subject_access_requested = Signal()

# Sent (sender=Client, client_ids=[...]) inside the transaction that anonymises clients whose
# retention period has ended. Each receiver removes the personal data its app holds on them.
clients_anonymising = Signal()
