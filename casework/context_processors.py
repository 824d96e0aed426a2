"""The navigation of the base layout, per role."""

import rules
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.models import Role
from casework.notifications import unread_notification_count


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = [(_("Home"), reverse("home"))]
    if user.role in (Role.CONSULTANT, Role.MANAGER):
        items.append((_("Work queue"), reverse("workqueue:index")))
        items.append((_("Clients"), reverse("clients:list")))
        items.append((_("Meetings"), reverse("meetings:list")))
        items.append((_("Employers"), reverse("instruments:employer-list")))
    if user.role == Role.CONSULTANT:
        items.append((_("New client"), reverse("clients:create")))
    if user.role in (Role.MANAGER, Role.POLICY, Role.ADMIN):
        items.append((_("Dashboard"), reverse("dashboard")))
        items.append((_("Monitors"), reverse("monitor-list")))
        items.append((_("Budgets"), reverse("instruments:budget-current")))
    if user.role == Role.ADMIN:
        items.append((_("Policy settings"), reverse("admin:index")))
        items.append((_("Import clients"), reverse("clients:import")))
    # The privacy pages (clients.privacy), for whoever holds their permissions. Asked of rules'
    # own permission set: user.has_perm would first run ModelBackend's permission queries.
    for label, permission, url_name in (
        (_("Access log"), "clients.view_access_log", "privacy:access-log"),
        (_("Subject access request"), "clients.subject_access", "privacy:subject-access"),
    ):
        if rules.has_perm(permission, user):
            items.append((label, reverse(url_name)))
    unread = unread_notification_count(user)  # read with the session's user (casework.backends)
    items.append(
        (
            _("Notifications (%(count)d unread)") % {"count": unread}
            if unread
            else _("Notifications"),
            reverse("notifications"),
        )
    )
    current = request.path
    return {
        "navigation": [
            {"label": label, "url": url, "current": current == url} for label, url in items
        ]
    }
