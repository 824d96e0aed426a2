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

        # Two-factor authentication: the session remembers at log-in whether the user has it on
        # (casework.middleware.TwoFactorMiddleware), and production cannot switch it off.
        from django.core import checks

        from casework.checks import two_factor_required
        from casework.two_factor import remember_two_factor

        user_logged_in.connect(
            remember_two_factor, dispatch_uid="casework.two_factor.remember_two_factor"
        )
        checks.register(two_factor_required, checks.Tags.security)
