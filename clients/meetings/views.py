"""Pages of the bijeenkomsten (kick-off and theme meetings). Thin: scoping in
clients.meetings.selectors (meetings by team, invitees through clients_for_user), writes in
clients.meetings.services, and every response that shows a person's data is written to the
access log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from rules.contrib.views import permission_required

from casework.services import record_access
from casework.types import AuthenticatedHttpRequest
from clients.forms import ClientSearchForm
from clients.meetings import selectors, services
from clients.meetings.forms import (
    AttendanceForm,
    InviteClientsForm,
    InviteToMeetingForm,
    MeetingForm,
)
from clients.selectors import get_client_for_user, search_clients, with_current_status

PAGE_SIZE = 25
SEARCH_SESSION_KEY = "meetings_invite_search"


@permission_required("clients.view_client", raise_exception=True)
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    meetings = selectors.with_invitation_counts(selectors.meetings_for_user(request.user))
    page = Paginator(selectors.past_meetings(meetings), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clients/meetings/meeting_list.html",
        {"upcoming": selectors.upcoming_meetings(meetings), "page": page},
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.team is None:
        # A meeting belongs to a team; a consultant without one has nobody to invite.
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.create_meeting(team=request.user.team, **form.service_arguments())
        messages.success(request, _("The meeting has been created."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "clients/meetings/meeting_form.html", {"form": form, "meeting": None})


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.update_meeting(meeting=meeting, **form.service_arguments())
        messages.success(request, _("The changes have been saved."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "clients/meetings/meeting_form.html", {"form": form, "meeting": meeting})


@permission_required("clients.view_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    invitations = list(selectors.invitations_for_meeting(request.user, meeting))
    may_change = request.user.has_perm("clients.change_client")
    attendance_form = None
    if may_change and selectors.attendance_is_open(meeting):
        attendance_form = AttendanceForm(request.POST or None, invitations=invitations)
    if request.method == "POST":
        if attendance_form is None:
            raise PermissionDenied
        if attendance_form.is_valid():
            services.register_attendance(meeting=meeting, attendance=attendance_form.attendance())
            messages.success(request, _("The attendance has been saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    record_access(
        request=request,
        client_ids=[invitation.client_id for invitation in invitations],
        view="meetings:detail",
    )
    return render(
        request,
        "clients/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "attendance_form": attendance_form,
            "may_invite": may_change and selectors.is_upcoming(meeting),
        },
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not selectors.is_upcoming(meeting):
        messages.error(request, _("This meeting has passed; clients can no longer be invited."))
        return redirect("meetings:detail", pk=meeting.pk)
    # Not an anonymised client: the rule clients.change_client refuses them (clients.rules).
    candidates = selectors.invitation_candidates(request.user, meeting).filter(
        anonymised_at__isnull=True
    )
    if request.method == "POST":
        form = InviteClientsForm(request.POST, candidates=candidates)
        if form.is_valid():
            invited = form.cleaned_data["clients"]
            services.invite_clients(
                meeting=meeting,
                clients=invited,
                invited_by=request.user,
                invited_on=timezone.localdate(),
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d client has been invited.",
                    "%(count)d clients have been invited.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
            return redirect("meetings:detail", pk=meeting.pk)
    else:
        form = InviteClientsForm(candidates=candidates)

    term = request.session.get(SEARCH_SESSION_KEY, "")
    matches = with_current_status(search_clients(candidates, term) if term else candidates.none())
    # One more than shown, to know whether the search should be narrowed.
    found = list(matches[: PAGE_SIZE + 1])
    form.show_only(matches[:PAGE_SIZE])
    record_access(
        request=request,
        client_ids=[client.pk for client in found[:PAGE_SIZE]],
        view="meetings:invite",
    )
    return render(
        request,
        "clients/meetings/meeting_invite.html",
        {
            "meeting": meeting,
            "form": form,
            "search_form": ClientSearchForm(initial={"q": term}),
            "search_term": term,
            "found_count": len(found[:PAGE_SIZE]),
            "more_found": len(found) > PAGE_SIZE,
        },
    )


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["POST"])
def meeting_invite_search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # The search term lives in the session (post/redirect/get), never in the URL; empty clears.
    meeting = selectors.get_meeting_for_user(request.user, pk)
    search_form = ClientSearchForm(request.POST)
    if search_form.is_valid():
        request.session[SEARCH_SESSION_KEY] = search_form.cleaned_data["q"].strip()
    return redirect("meetings:invite", pk=meeting.pk)


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["POST"])
def client_invite(request: AuthenticatedHttpRequest, client_pk: int) -> HttpResponse:
    """The dossier's one-click invite to an upcoming meeting of the team."""
    client = get_client_for_user(request.user, client_pk, for_change=True)
    form = InviteToMeetingForm(
        request.POST, meetings=list(selectors.meetings_to_invite_client(request.user, client))
    )
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        services.invite(
            meeting=meeting, client=client, invited_by=request.user, invited_on=timezone.localdate()
        )
        messages.success(
            request,
            _("%(client)s has been invited to %(meeting)s.")
            % {"client": client.full_name, "meeting": meeting},
        )
    else:
        messages.error(
            request,
            _("The client is already invited to this meeting, or it is not an upcoming meeting."),
        )
    return redirect("clients:detail", pk=client.pk)
