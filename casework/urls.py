from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from health_check.views import HealthCheckView

from casework import notifications, profile_views, sudo_views, two_factor_views
from casework.forms import LoginForm

health_view = login_not_required(
    HealthCheckView.as_view(checks=["health_check.checks.Database", "casework.health.CeleryBroker"])
)
celery_health_view = login_not_required(
    HealthCheckView.as_view(checks=["casework.health.CeleryHeartbeat"])
)

urlpatterns = [
    path("", include("monitoring.urls")),
    path("clienten/", include("clients.urls")),
    path("clienten/", include("clients.conversations.urls")),
    path("clienten/", include("clients.plans.urls")),
    # Privacy: the access log search and subject access requests (clients.privacy).
    path("privacy/", include("clients.privacy.urls")),
    path("bijeenkomsten/", include("clients.meetings.urls")),
    path("werkvoorraad/", include("clients.workqueue.urls")),
    path("", include("instruments.urls")),
    path("api/", include("casework.api.urls")),
    path("profiel/", profile_views.profile, name="profile"),
    # Creating an API token asks for sudo mode (casework.profile_views.token_create).
    path("profiel/tokens/nieuw/", profile_views.token_create, name="token-create"),
    path("profiel/tokens/<int:pk>/intrekken/", profile_views.token_revoke, name="token-revoke"),
    path("profiel/overal-uitloggen/", profile_views.logout_everywhere, name="logout-everywhere"),
    # Sudo mode: confirm it is you before a sensitive action (casework.sudo).
    path("bevestigen/", sudo_views.sudo_confirm, name="sudo"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor authentication (casework.two_factor_views).
    path("inloggen/code/", two_factor_views.verify, name="login-verify"),
    path("profiel/tweestapsverificatie/", two_factor_views.setup, name="two-factor-setup"),
    path(
        "profiel/tweestapsverificatie/herstelcodes/",
        two_factor_views.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path(
        "profiel/tweestapsverificatie/uitzetten/", two_factor_views.turn_off, name="two-factor-off"
    ),
    path("meldingen/", notifications.notification_list, name="notifications"),
    path("meldingen/gelezen/", notifications.notification_mark_read, name="notifications-read"),
    # The language switch works before log-in too (the log-in page has it).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("beheer/", admin.site.urls),
    path("health/", health_view, name="health"),
    path("health/celery/", celery_health_view, name="health-celery"),
]
