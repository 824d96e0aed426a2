from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput, PlainSelect
from clients.models import Attendance, Client, ClientGroup, Invitation, Meeting, MeetingKind


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    """Create and edit a meeting. Saving goes through clients.meetings.services."""

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "group",
            "orientation",
            "date",
            "start_time",
            "place",
            "trainer",
            "is_mandatory",
        ]
        widgets = {"date": DateInput(), "start_time": TimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group = cast(forms.ModelChoiceField, self.fields["group"])
        group.queryset = ClientGroup.objects.filter(is_active=True)
        group.empty_label = _("All client groups")

    def clean_date(self):
        date = self.cleaned_data["date"]
        if self.instance.pk is None and date < timezone.localdate():
            raise forms.ValidationError(_("A new meeting cannot be in the past."))
        return date

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or {}
        if cleaned_data.get("kind") == MeetingKind.KICKOFF and not cleaned_data.get("group"):
            self.add_error("group", _("A kick-off meeting is for one client group."))
        return cleaned_data

    def service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CandidateField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Client) -> str:
        """Name, date of birth and current klantgroep (when annotated): enough to tell
        namesakes apart and to see who belongs at a kick-off."""
        parts = [date_format(obj.date_of_birth, "SHORT_DATE_FORMAT")]
        group_name = getattr(obj, "current_group_name", None)
        if group_name:
            parts.append(group_name)
        return f"{obj.full_name} ({', '.join(parts)})"


class InviteClientsForm(forms.Form):
    """Pick clients to invite. Any candidate (a client in scope, not yet invited) is valid; only
    the search results are shown (show_only)."""

    clients = CandidateField(
        label=_("Clients to invite"),
        queryset=Client.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one client.")},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(CandidateField, self.fields["clients"]).queryset = candidates

    def show_only(self, shown: QuerySet[Client]) -> None:
        """Render these clients as the choices (after validation against all candidates)."""
        cast(CandidateField, self.fields["clients"]).queryset = shown


def meeting_label(meeting: Meeting) -> str:
    return "{title} ({kind}), {date} {time}, {place}".format(
        title=meeting.title,
        # The enum's label: get_kind_display() rebuilds the field's choices on every call, and
        # the dossier labels every upcoming meeting of the team.
        kind=MeetingKind(meeting.kind).label,
        date=date_format(meeting.date, "SHORT_DATE_FORMAT"),
        time=time_format(meeting.start_time, "H:i"),
        place=meeting.place,
    )


class InviteToMeetingForm(forms.Form):
    """Invite one client to one of the given meetings (the dossier's one-click invite). The
    choices are built from an evaluated list so rendering them costs no further query."""

    prefix = "invite"  # the dossier holds several forms: keep this one's ids apart

    meeting = forms.TypedChoiceField(
        label=_("Invite to meeting"),
        coerce=int,
        # Every upcoming meeting of the team is an option, on every dossier.
        widget=PlainSelect,
        help_text=_("Kick-off meetings for the client's current client group come first."),
    )

    def __init__(self, *args: Any, meetings: Sequence[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {meeting.pk: meeting for meeting in meetings}
        cast(forms.TypedChoiceField, self.fields["meeting"]).choices = [
            (meeting.pk, meeting_label(meeting)) for meeting in meetings
        ]

    def clean_meeting(self) -> Meeting:
        return self.meetings[self.cleaned_data["meeting"]]


class AttendanceForm(forms.Form):
    """The attendance of every invitee at once: one select per invitation, labelled with the
    client's name."""

    def __init__(self, *args: Any, invitations: Sequence[Invitation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations = {f"attendance_{i.pk}": i for i in invitations}
        for name, invitation in self.invitations.items():
            self.fields[name] = forms.ChoiceField(
                label=invitation.client.full_name,
                choices=Attendance.choices,
                initial=invitation.attendance,
            )

    def attendance(self) -> dict[Invitation, str]:
        return {self.invitations[name]: value for name, value in self.cleaned_data.items()}
