from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "instruments"
    verbose_name = _("Instruments and budgets")

    def ready(self) -> None:
        # Privacy: the client's trajecten, work profile and placements in a subject access
        # request (instruments.privacy).
        from clients.models import Client
        from clients.signals import subject_access_requested
        from instruments import privacy

        subject_access_requested.connect(
            privacy.subject_access_sections,
            sender=Client,
            dispatch_uid="instruments.privacy.subject_access_sections",
        )

        # Retention: the trajecten's free text goes when a client is anonymised
        # (instruments.retention).
        from clients.signals import clients_anonymising
        from instruments import retention

        clients_anonymising.connect(
            retention.remove_free_text,
            sender=Client,
            dispatch_uid="instruments.retention.remove_free_text",
        )
