import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import AccessLog
from clients.meetings import selectors, services
from clients.models import Attendance, Client, ClientGroup, Invitation, Meeting, MeetingKind
from tests.clients.factories import ClientFactory, ClientGroupAssignmentFactory
from tests.clients.meeting_factories import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_WEEK = TODAY + datetime.timedelta(days=7)
LAST_WEEK = TODAY - datetime.timedelta(days=7)


def valid_form(**changes):
    groeien = ClientGroup.objects.get(code="groeien")
    return {
        "kind": MeetingKind.KICKOFF,
        "title": "Kick-off Groeien",
        "group": groeien.pk,
        "orientation": "Wijk Keizerslanden",
        "date": NEXT_WEEK.isoformat(),
        "start_time": "09:30",
        "place": "Stadhuis, zaal 2",
        "trainer": "Petra de Boer",
        "is_mandatory": "on",
        **changes,
    }


@pytest.fixture
def meeting_a(team_a):
    return MeetingFactory(team=team_a, title="Kick-off Groeien", date=NEXT_WEEK)


@pytest.fixture
def past_meeting_a(team_a):
    return MeetingFactory(team=team_a, title="Kick-off vorige week", date=LAST_WEEK)


def meeting_pages(meeting):
    return [
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:update", args=[meeting.pk]),
        reverse("meetings:invite", args=[meeting.pk]),
    ]


# Scoping and permissions


def test_anonymous_users_are_sent_to_log_in(client, meeting_a):
    for url in [reverse("meetings:list"), reverse("meetings:create"), *meeting_pages(meeting_a)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_list_shows_the_teams_upcoming_and_past_meetings(
    client, consultant_a, team_b, meeting_a, past_meeting_a
):
    MeetingFactory(team=team_b, title="Van team B")
    client.force_login(consultant_a)
    response = client.get(reverse("meetings:list"))
    assert response.status_code == 200
    assert list(response.context["upcoming"]) == [meeting_a]
    assert list(response.context["page"]) == [past_meeting_a]
    assert "Van team B" not in response.text


def test_a_consultant_of_another_team_gets_404(client, consultant_b, meeting_a, client_a):
    client.force_login(consultant_b)
    for url in meeting_pages(meeting_a):
        assert client.get(url).status_code == 404, url
    assert client.post(meeting_pages(meeting_a)[0], {}).status_code == 404
    assert client.post(meeting_pages(meeting_a)[1], valid_form()).status_code == 404
    assert (
        client.post(reverse("meetings:invite-search", args=[meeting_a.pk]), {"q": "x"}).status_code
        == 404
    )
    assert client.get(reverse("meetings:list")).context["upcoming"].count() == 0


def test_a_policy_officer_is_refused_every_meeting_page(client, policy_officer, meeting_a):
    client.force_login(policy_officer)
    for url in [reverse("meetings:list"), reverse("meetings:create"), *meeting_pages(meeting_a)]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("meetings:create"), valid_form()).status_code == 403
    assert AccessLog.objects.count() == 0


def test_an_application_manager_sees_no_meeting(client, application_manager, meeting_a):
    client.force_login(application_manager)
    for url in [reverse("meetings:list"), reverse("meetings:detail", args=[meeting_a.pk])]:
        assert client.get(url).status_code == 403, url


def test_a_team_leader_reads_but_does_not_organise(
    client, manager_a, client_a, meeting_a, past_meeting_a
):
    invitation = InvitationFactory(meeting=past_meeting_a, client=client_a)
    client.force_login(manager_a)
    assert client.get(reverse("meetings:list")).status_code == 200
    response = client.get(reverse("meetings:detail", args=[past_meeting_a.pk]))
    assert response.status_code == 200
    assert response.context["attendance_form"] is None
    assert "Anna Jansen" in response.text
    assert client.get(reverse("meetings:create")).status_code == 403
    assert client.get(reverse("meetings:update", args=[meeting_a.pk])).status_code == 403
    assert client.get(reverse("meetings:invite", args=[meeting_a.pk])).status_code == 403
    response = client.post(
        reverse("meetings:detail", args=[past_meeting_a.pk]),
        {f"attendance_{invitation.pk}": Attendance.PRESENT},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("meetings:invite-client", args=[client_a.pk]), {"invite-meeting": meeting_a.pk}
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.INVITED
    assert Invitation.objects.count() == 1


# Create and edit


def test_a_consultant_creates_a_meeting_for_their_team(client, consultant_a):
    client.force_login(consultant_a)
    assert client.get(reverse("meetings:create")).status_code == 200
    response = client.post(reverse("meetings:create"), valid_form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.team == consultant_a.team
    assert meeting.group.code == "groeien"
    assert (meeting.date, meeting.start_time) == (NEXT_WEEK, datetime.time(9, 30))
    assert meeting.is_mandatory


def test_a_theme_meeting_needs_no_client_group(client, consultant_a):
    client.force_login(consultant_a)
    form = valid_form(kind=MeetingKind.THEME, group="", title="Werken in de zorg")
    del form["is_mandatory"]
    assert client.post(reverse("meetings:create"), form).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.group is None and not meeting.is_mandatory


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"place": ""}, "place"),
        ({"start_time": "25:00"}, "start_time"),
        ({"group": ""}, "group"),  # a kick-off is for one klantgroep
        ({"date": LAST_WEEK.isoformat()}, "date"),  # a new meeting is not in the past
    ],
)
def test_an_invalid_meeting_is_refused_next_to_the_field(client, consultant_a, changes, field):
    client.force_login(consultant_a)
    response = client.post(reverse("meetings:create"), valid_form(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'id="error-summary"' in response.text
    assert f'id="id_{field}-errors"' in response.text
    assert not Meeting.objects.exists()


def test_editing_a_meeting_saves_it(client, consultant_a, meeting_a):
    client.force_login(consultant_a)
    url = reverse("meetings:update", args=[meeting_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, valid_form(place="Bibliotheek", title="Kick-off Groeien mei"))
    assert response.status_code == 302
    meeting_a.refresh_from_db()
    assert (meeting_a.place, meeting_a.title) == ("Bibliotheek", "Kick-off Groeien mei")


def test_a_past_meeting_can_still_be_corrected(client, consultant_a, past_meeting_a):
    client.force_login(consultant_a)
    url = reverse("meetings:update", args=[past_meeting_a.pk])
    response = client.post(url, valid_form(date=LAST_WEEK.isoformat(), trainer="Jan Smit"))
    assert response.status_code == 302
    past_meeting_a.refresh_from_db()
    assert past_meeting_a.trainer == "Jan Smit"


def test_an_invalid_edit_changes_nothing(client, consultant_a, meeting_a):
    client.force_login(consultant_a)
    response = client.post(
        reverse("meetings:update", args=[meeting_a.pk]), valid_form(title="", place="Elders")
    )
    assert response.status_code == 200
    meeting_a.refresh_from_db()
    assert meeting_a.place == "Stadhuis, zaal 2"


# Inviting from the meeting page


def test_inviting_from_the_meeting_page(client, consultant_a, team_a, team_b, meeting_a):
    wanted = ClientFactory(team=team_a, first_name="Pieter", last_name="de Vries")
    ClientFactory(team=team_a, first_name="Anouk", last_name="Vermeulen")
    ClientFactory(team=team_b, first_name="Piet", last_name="de Vries")  # not in scope
    client.force_login(consultant_a)
    url = reverse("meetings:invite", args=[meeting_a.pk])

    response = client.post(reverse("meetings:invite-search", args=[meeting_a.pk]), {"q": "vries"})
    assert response.status_code == 302 and response.url == url
    assert "vries" not in response.url
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["form"].fields["clients"].queryset) == [wanted]
    assert AccessLog.objects.filter(view="meetings:invite").get().client_id == wanted.pk

    response = client.post(url, {"clients": [wanted.pk]})
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting_a.pk])
    invitation = Invitation.objects.get()
    assert (invitation.client, invitation.invited_by, invitation.invited_on) == (
        wanted,
        consultant_a,
        TODAY,
    )
    assert invitation.attendance == Attendance.INVITED

    # Twice is once: the invited client is no longer a candidate, and nothing is added.
    response = client.post(url, {"clients": [wanted.pk]})
    assert response.status_code == 200
    assert "clients" in response.context["form"].errors
    assert Invitation.objects.count() == 1


def test_a_client_of_another_team_cannot_be_invited(client, consultant_a, team_b, meeting_a):
    outsider = ClientFactory(team=team_b)
    client.force_login(consultant_a)
    response = client.post(
        reverse("meetings:invite", args=[meeting_a.pk]), {"clients": [outsider.pk]}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_nobody_is_invited_to_a_meeting_that_has_passed(
    client, consultant_a, client_a, past_meeting_a
):
    client.force_login(consultant_a)
    response = client.post(
        reverse("meetings:invite", args=[past_meeting_a.pk]), {"clients": [client_a.pk]}
    )
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_the_invite_service_is_idempotent(consultant_a, manager_a, client_a, meeting_a):
    first = services.invite(
        meeting=meeting_a, client=client_a, invited_by=consultant_a, invited_on=LAST_WEEK
    )
    second = services.invite(
        meeting=meeting_a, client=client_a, invited_by=manager_a, invited_on=TODAY
    )
    services.invite_clients(
        meeting=meeting_a, clients=[client_a], invited_by=manager_a, invited_on=TODAY
    )
    assert first == second == Invitation.objects.get()
    assert (second.invited_by, second.invited_on) == (consultant_a, LAST_WEEK)


# Inviting from the dossier


def dossier(client, person):
    return client.get(reverse("clients:detail", args=[person.pk]))


def test_the_dossier_offers_the_kickoff_of_the_clients_group_first(
    client, consultant_a, team_a, team_b, client_a
):
    ClientGroupAssignmentFactory(client=client_a, group=ClientGroup.objects.get(code="matchen"))
    theme = MeetingFactory(team=team_a, kind=MeetingKind.THEME, date=TODAY, group=None)
    other_group = MeetingFactory(
        team=team_a, group=ClientGroup.objects.get(code="zorgen"), date=NEXT_WEEK
    )
    own_group = MeetingFactory(
        team=team_a,
        group=ClientGroup.objects.get(code="matchen"),
        date=NEXT_WEEK + datetime.timedelta(days=7),
    )
    MeetingFactory(team=team_a, date=LAST_WEEK)  # passed
    MeetingFactory(team=team_b, date=NEXT_WEEK)  # another team's
    already = MeetingFactory(team=team_a, date=NEXT_WEEK)
    InvitationFactory(meeting=already, client=client_a)
    client.force_login(consultant_a)
    response = dossier(client, client_a)
    options = re.findall(r'<option value="(\d+)"', response.text)
    assert options == [str(own_group.pk), str(theme.pk), str(other_group.pk)]
    assert 'id="dossier-invite"' in response.text


def test_one_click_invite_from_the_dossier(client, consultant_a, client_a, meeting_a):
    client.force_login(consultant_a)
    url = reverse("meetings:invite-client", args=[client_a.pk])
    response = client.post(url, {"invite-meeting": meeting_a.pk})
    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[client_a.pk])
    invitation = Invitation.objects.get()
    assert (invitation.meeting, invitation.client, invitation.invited_by) == (
        meeting_a,
        client_a,
        consultant_a,
    )
    # Twice is once.
    assert client.post(url, {"invite-meeting": meeting_a.pk}).status_code == 302
    assert Invitation.objects.count() == 1
    # The dossier lists the invitation and offers no meeting the client is invited to already.
    response = dossier(client, client_a)
    assert response.context["invitations"] == [invitation]
    assert 'id="dossier-invite"' not in response.text


def test_the_dossier_invite_is_scoped(
    client, consultant_a, consultant_b, team_b, client_a, meeting_a
):
    other_team_meeting = MeetingFactory(team=team_b)
    client.force_login(consultant_a)
    url = reverse("meetings:invite-client", args=[client_a.pk])
    assert client.post(url, {"invite-meeting": other_team_meeting.pk}).status_code == 302
    assert not Invitation.objects.exists()
    client.force_login(consultant_b)
    assert client.post(url, {"invite-meeting": meeting_a.pk}).status_code == 404
    assert client.post(url, {"invite-meeting": other_team_meeting.pk}).status_code == 404
    assert not Invitation.objects.exists()


def test_a_team_leader_sees_invitations_but_no_invite_form(client, manager_a, client_a, meeting_a):
    InvitationFactory(meeting=meeting_a, client=client_a)
    MeetingFactory(team=meeting_a.team)
    client.force_login(manager_a)
    response = dossier(client, client_a)
    assert 'id="client-invitations"' in response.text
    assert 'id="dossier-invite"' not in response.text


def test_the_dossier_tag_uses_two_queries(rf: RequestFactory, consultant_a, team_a, client_a):
    for day in range(5):
        meeting = MeetingFactory(team=team_a, date=LAST_WEEK + datetime.timedelta(days=day))
        InvitationFactory(meeting=meeting, client=client_a)
    MeetingFactory.create_batch(3, team=team_a)
    request = rf.get("/")
    request.user = consultant_a
    template = Template("{% load meeting_tags %}{% dossier_meetings client %}")
    with CaptureQueriesContext(connection) as queries:
        html = template.render(Context({"request": request, "client": client_a}))
    # the client's invitations, the upcoming meetings to invite to
    assert len(queries) == 2
    assert html.count("<option ") == 3  # the three upcoming meetings


# Attendance


def test_attendance_is_registered_for_all_invitees_at_once(
    client, consultant_a, team_a, past_meeting_a
):
    invitations = [InvitationFactory(meeting=past_meeting_a) for _ in range(3)]
    client.force_login(consultant_a)
    url = reverse("meetings:detail", args=[past_meeting_a.pk])
    response = client.get(url)
    assert response.context["attendance_form"] is not None
    values = [Attendance.PRESENT, Attendance.ABSENT_WITH_NOTICE, Attendance.ABSENT_WITHOUT_NOTICE]
    response = client.post(
        url, {f"attendance_{i.pk}": value for i, value in zip(invitations, values, strict=True)}
    )
    assert response.status_code == 302
    assert [
        Invitation.objects.get(pk=invitation.pk).attendance for invitation in invitations
    ] == values


def test_an_invalid_attendance_changes_nothing(client, consultant_a, past_meeting_a):
    invitations = InvitationFactory.create_batch(2, meeting=past_meeting_a)
    client.force_login(consultant_a)
    response = client.post(
        reverse("meetings:detail", args=[past_meeting_a.pk]),
        {
            f"attendance_{invitations[0].pk}": Attendance.PRESENT,
            f"attendance_{invitations[1].pk}": "asleep",
        },
    )
    assert response.status_code == 200
    assert 'id="error-summary"' in response.text
    assert set(Invitation.objects.values_list("attendance", flat=True)) == {Attendance.INVITED}


def test_attendance_waits_for_the_day_of_the_meeting(client, consultant_a, meeting_a):
    invitation = InvitationFactory(meeting=meeting_a)
    client.force_login(consultant_a)
    url = reverse("meetings:detail", args=[meeting_a.pk])
    assert client.get(url).context["attendance_form"] is None
    response = client.post(url, {f"attendance_{invitation.pk}": Attendance.PRESENT})
    assert response.status_code == 403
    with pytest.raises(ValueError):
        services.register_attendance(meeting=meeting_a, attendance={invitation: Attendance.PRESENT})
    invitation.refresh_from_db()
    assert invitation.attendance == Attendance.INVITED


# The enforcement signal


@pytest.mark.parametrize(
    ("kind", "is_mandatory", "attendance", "signal"),
    [
        (MeetingKind.KICKOFF, True, Attendance.ABSENT_WITHOUT_NOTICE, True),
        (MeetingKind.KICKOFF, True, Attendance.PRESENT, False),
        (MeetingKind.KICKOFF, True, Attendance.ABSENT_WITH_NOTICE, False),
        (MeetingKind.KICKOFF, True, Attendance.INVITED, False),
        (MeetingKind.KICKOFF, False, Attendance.ABSENT_WITHOUT_NOTICE, False),
        (MeetingKind.THEME, True, Attendance.ABSENT_WITHOUT_NOTICE, False),
    ],
)
def test_a_no_show_at_a_mandatory_kickoff_is_a_signal(
    client, consultant_a, team_a, client_a, kind, is_mandatory, attendance, signal
):
    meeting = MeetingFactory(team=team_a, kind=kind, is_mandatory=is_mandatory, date=LAST_WEEK)
    InvitationFactory(meeting=meeting, client=client_a, attendance=attendance)
    other = ClientFactory(team=team_a)
    InvitationFactory(meeting=meeting, client=other, attendance=Attendance.PRESENT)

    flagged = selectors.with_missed_mandatory_kickoff(Client.objects.filter(team=team_a))
    assert {c.pk: c.missed_mandatory_kickoff for c in flagged} == {
        client_a.pk: signal,
        other.pk: False,
    }

    client.force_login(consultant_a)
    response = dossier(client, client_a)
    assert ('id="meeting-signal"' in response.text) is signal
    if signal:
        signal_html = response.text.split('id="meeting-signal"')[1].split("</div>")[0]
        assert "<h3>" in signal_html and meeting.title in signal_html


# The meeting page: invitees, the access log, query counts


def test_the_meeting_page_shows_and_logs_the_invitees(
    client, consultant_a, team_a, team_b, meeting_a
):
    shown = [InvitationFactory(meeting=meeting_a) for _ in range(3)]
    # A name no factory draws: a random one could be another invitee's too.
    moved = InvitationFactory(meeting=meeting_a, client__last_name="Verhuisd-Elders")
    moved.client.team = team_b  # moved to another team after the invitation
    moved.client.save()
    client.force_login(consultant_a)
    url = reverse("meetings:detail", args=[meeting_a.pk])
    response = client.get(url)
    assert response.context["invitations"] == sorted(
        shown, key=lambda i: (i.client.last_name, i.client.first_name, i.client_id)
    )
    assert moved.client.last_name not in response.text
    rows = AccessLog.objects.filter(view="meetings:detail")
    assert sorted(rows.values_list("client_id", flat=True)) == sorted(i.client_id for i in shown)
    assert {(row.user_id, row.path) for row in rows} == {(consultant_a.pk, url)}


def test_pages_have_one_h1(client, consultant_a, client_a, meeting_a, past_meeting_a):
    InvitationFactory(meeting=past_meeting_a, client=client_a)
    client.force_login(consultant_a)
    for url in [
        reverse("meetings:list"),
        reverse("meetings:create"),
        *meeting_pages(meeting_a),
        reverse("meetings:detail", args=[past_meeting_a.pk]),
    ]:
        response = client.get(url)
        assert len(re.findall(r"<h1[ >]", response.text)) == 1, url


def populate_meetings(team, count, invitees):
    for day in range(count):
        upcoming = TODAY + datetime.timedelta(days=day)
        past = TODAY - datetime.timedelta(days=day + 1)
        for date in (upcoming, past):
            meeting = MeetingFactory(team=team, date=date)
            InvitationFactory.create_batch(invitees, meeting=meeting)


@pytest.mark.parametrize("meetings", [2, 30])
def test_the_list_query_count_does_not_grow_with_the_meetings(
    client, consultant_a, team_a, django_assert_num_queries, meetings
):
    populate_meetings(team_a, meetings, invitees=2)
    client.force_login(consultant_a)
    # session, user (with the team and unread notifications of the layout: casework.backends),
    # upcoming meetings, past count, past page
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:list"))
    assert len(response.context["upcoming"]) == meetings
    assert len(response.context["page"]) == min(meetings, 25)
    assert response.context["page"][0].invited_count == 2


@pytest.mark.parametrize("invitees", [2, 20])
@pytest.mark.parametrize("past", [False, True])
def test_the_meeting_page_query_count_does_not_grow_with_the_invitees(
    client, consultant_a, team_a, django_assert_num_queries, invitees, past
):
    meeting = MeetingFactory(team=team_a, date=LAST_WEEK if past else NEXT_WEEK)
    InvitationFactory.create_batch(invitees, meeting=meeting)
    client.force_login(consultant_a)
    # session, user (with the team and unread notifications of the layout: casework.backends),
    # meeting, invitations, access log insert
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert len(response.context["invitations"]) == invitees
