"""The user's in-app notifications: the list, and marking them read."""

from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.models import Notification, User
from casework.types import AuthenticatedHttpRequest

PAGE_SIZE = 25


# The attribute of a user read with their unread count (casework.backends: the session's user).
UNREAD_COUNT = "unread_notification_count"


def _unread_of(user: User | OuterRef) -> QuerySet[Notification]:
    """The user's unread notifications: on the index notification_unread_idx (user, read_at)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)


def unread_count_of_user() -> Coalesce:
    """The unread count of the user a query reads (OuterRef "pk"), as an annotation."""
    unread = _unread_of(OuterRef("pk"))
    counted = unread.order_by().values("user").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def unread_notification_count(user: User) -> int:
    """For the navigation: read with the session's user (no query of its own), or one COUNT for a
    user read otherwise."""
    counted = getattr(user, UNREAD_COUNT, None)
    if counted is not None:
        return int(counted)
    return _unread_of(user).count()


def _notifications_of(user: User) -> QuerySet[Notification]:
    """The user's own notifications, unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.filter(user=user).order_by(unread.desc(), "-created_at", "-id")


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(_notifications_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/notifications.html",
        {"page": page, "unread": unread_notification_count(request.user)},
    )


@require_POST
def notification_mark_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Mark one notification read (POST `notification`: its id), or all of them (no id).
    Someone else's notification is a 404."""
    notifications = _unread_of(request.user)
    pk = request.POST.get("notification", "")
    if pk:
        if not pk.isdigit() or not Notification.objects.filter(user=request.user, pk=pk).exists():
            raise Http404
        notifications = notifications.filter(pk=pk)
    notifications.update(read_at=timezone.now())
    return redirect("notifications")
