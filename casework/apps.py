from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Organisation and audit")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from casework.sessions import stamp_login

        # The session remembers when its user logged in, for the absolute session maximum
        # (casework.middleware.SessionExpiryMiddleware).
        user_logged_in.connect(stamp_login, dispatch_uid="casework.sessions.stamp_login")
