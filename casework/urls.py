from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from health_check.views import HealthCheckView

from casework import notifications, profile_views
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
    path("bijeenkomsten/", include("clients.meetings.urls")),
    path("werkvoorraad/", include("clients.workqueue.urls")),
    path("", include("instruments.urls")),
    path("api/", include("casework.api.urls")),
    path("profiel/", profile_views.profile, name="profile"),
    path("profiel/tokens/<int:pk>/intrekken/", profile_views.token_revoke, name="token-revoke"),
    path("profiel/overal-uitloggen/", profile_views.logout_everywhere, name="logout-everywhere"),
    path(
        "inloggen/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("meldingen/", notifications.notification_list, name="notifications"),
    path("meldingen/gelezen/", notifications.notification_mark_read, name="notifications-read"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("health/", health_view, name="health"),
    path("health/celery/", celery_health_view, name="health-celery"),
]
