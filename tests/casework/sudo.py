"""Sudo mode in tests (casework.sudo): after force_login, `confirm_sudo(client)` marks the test
client's session as confirmed just now, as the confirmation page would."""

from django.utils import timezone

from casework.sudo import SUDO_AT


def confirm_sudo(client, *, minutes_ago: float = 0) -> None:
    session = client.session
    session[SUDO_AT] = int(timezone.now().timestamp() - minutes_ago * 60)
    session.save()
