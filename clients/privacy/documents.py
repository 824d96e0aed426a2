"""The subject access document (inzageverzoek): everything the municipality holds on a client and
every time someone looked at it, as one Dutch PDF for the client.

It is the client's own copy, so nothing is masked: the BSN, the notes of conversations and the
names of the employees are in it. The sections of the clients app are built here, from the
client's prefetched records (clients.privacy.selectors.client_for_subject_access); apps that build
on clients add theirs through clients.signals.subject_access_requested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from casework.models import AccessLog
from clients.models import Client, Conversation
from clients.privacy.sections import Section, sections_of_other_apps, text

# The document is for a resident of a Dutch municipality, whatever the language of the employee
# who prints it.
LANGUAGE = "nl"
# Client fields the document shows otherwise (the number; the current klantgroep and ladder step,
# the newest rows of their own sections), or that mean nothing to the client (the look-up hash of
# the BSN, clients.bsn.bsn_digest, and the words of the name search).
PERSON_SKIPPED = {
    *("id", "current_group", "current_ladder_step", "current_target_step"),
    *("bsn_hash", "name_search"),
}
# Conversation fields the table shows in columns of their own, or that say nothing to the client.
CONVERSATION_COLUMNS = {"id", "client", "kind", "status", "held_on", "consultant"}


def filename(client: Client) -> str:
    """No name and no BSN: the file name ends up in download folders and mail subjects."""
    return f"inzage-{client.pk}-{timezone.localdate().isoformat()}.pdf"


def field_values(instance: Model, *, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(label, text) of each of the instance's own fields, as `_fields` gives them."""
    return [(label, text(value)) for label, value in _fields(instance, skip=skip)]


def _fields(instance: Model, *, skip: Iterable[str] = ()) -> list[tuple[str, object]]:
    """(label, value) of each of the instance's own fields, choices by their label."""
    skipped = set(skip)
    values: list[tuple[str, object]] = []
    for field in instance._meta.concrete_fields:
        if field.name in skipped:
            continue
        if field.choices:
            value = getattr(instance, f"get_{field.name}_display")()
        elif field.is_relation:
            value = getattr(instance, field.name)  # select_related by the selector
        else:
            value = getattr(instance, field.attname)
        values.append((capfirst(str(field.verbose_name)), value))
    return values


def _names(objects: Iterable[object]) -> str:
    return ", ".join(str(item) for item in objects) or text(None)


def person_section(client: Client) -> Section:
    rows = [[_("Client number"), str(client.pk)]]
    rows += [[label, value] for label, value in field_values(client, skip=PERSON_SKIPPED)]
    rows.append([_("Barriers"), _names(client.barriers.all())])
    rows.append([_("Consultants"), _names(client.consultants.all())])
    return Section(_("Personal data"), [_("Field"), _("Value")], rows)


def benefit_section(client: Client) -> Section:
    return Section(
        _("Benefit periods"),
        [_("Scheme"), _("Start date"), _("End date"), _("Reason for ending"), _("Partner")],
        [
            [
                period.get_scheme_display(),
                text(period.start_date),
                text(period.end_date),
                text(period.get_end_reason_display()),
                text(period.partner),
            ]
            for period in client.benefit_periods.all()
        ],
    )


def ladder_section(client: Client) -> Section:
    return Section(
        _("Participation ladder"),
        [_("Date"), _("Current step"), _("Target step"), _("Measured by"), _("Note")],
        [
            [
                text(measurement.measured_on),
                str(measurement.step),
                str(measurement.target_step),
                text(measurement.measured_by),
                text(measurement.note),
            ]
            for measurement in client.ladder_measurements.all()
        ],
    )


def group_section(client: Client) -> Section:
    return Section(
        _("Client groups"),
        [_("From"), _("Until"), _("Client group"), _("Chosen by the client"), _("Reason")],
        [
            [
                text(assignment.start_date),
                text(assignment.end_date),
                str(assignment.group),
                text(assignment.chosen_by_client),
                text(assignment.reason),
            ]
            for assignment in client.group_assignments.all()
        ],
    )


def conversation_contents(conversation: Conversation) -> str:
    """What was recorded in a conversation, one "label: value" line each; fields left empty
    (and checks not made) are left out."""
    lines = [
        f"{label}: {text(value)}"
        for label, value in _fields(conversation, skip=CONVERSATION_COLUMNS)
        # Decided by the value, not its text: a note that reads "nee" is kept.
        if value is not None and value != "" and value is not False
    ]
    for label, related in (
        (_("Checklist: confirmed"), conversation.checklist.all()),
        (_("Referred to"), conversation.referred_to.all()),
    ):
        if related:
            lines.append(f"{label}: {_names(related)}")
    lines += [
        f"{score.domain}: {score.score}" + (f" ({score.note})" if score.note else "")
        for score in conversation.domain_scores.all()
    ]
    lines += [
        f"{review.agreement}: {review.get_status_display()}"
        + (f" ({review.note})" if review.note else "")
        for review in conversation.agreement_reviews.all()
    ]
    lines += [
        _("Addendum of %(date)s by %(author)s: %(text)s")
        % {"date": text(addendum.created_at), "author": addendum.author, "text": addendum.text}
        for addendum in conversation.addenda.all()
    ]
    return "\n".join(lines)


def conversation_section(client: Client) -> Section:
    return Section(
        _("Conversations"),
        [_("Date"), _("Kind"), _("Status"), _("Consultant"), _("What was recorded")],
        [
            [
                text(conversation.held_on),
                conversation.get_kind_display(),
                conversation.get_status_display(),
                str(conversation.consultant),
                conversation_contents(conversation),
            ]
            for conversation in client.conversations.all()
        ],
    )


def plan_section(client: Client) -> Section:
    return Section(
        _("Plans"),
        [
            _("Drawn up on"),
            _("Drawn up by"),
            _("Goals"),
            _("Signed by the client on"),
            _("Signed by the municipality on"),
        ],
        [
            [
                text(plan.drawn_up_on),
                str(plan.drawn_up_by),
                plan.goals,
                text(plan.client_signed_on),
                text(plan.municipality_signed_on),
            ]
            for plan in client.plans.all()
        ],
    )


def agreement_section(client: Client) -> Section:
    return Section(
        _("Agreements"),
        [_("Plan of"), _("What"), _("Who"), _("By when"), _("Status"), _("Why it was missed")],
        [
            [
                text(plan.drawn_up_on),
                agreement.description,
                agreement.get_responsible_display(),
                text(agreement.due_date),
                agreement.get_status_display(),
                text(agreement.missed_reason),
            ]
            for plan in client.plans.all()
            for agreement in plan.agreements.all()
        ],
    )


def meeting_section(client: Client) -> Section:
    return Section(
        _("Meetings"),
        [_("Meeting"), _("Date"), _("Place"), _("Invited on"), _("Attendance")],
        [
            [
                str(invitation.meeting.title),
                text(invitation.meeting.date),
                invitation.meeting.place,
                text(invitation.invited_on),
                invitation.get_attendance_display(),
            ]
            for invitation in client.invitations.all()
        ],
    )


def access_section(client: Client) -> Section:
    """Every time an employee was shown the client's data, newest first: one query."""
    entries = (
        # The user is joined: every row names them.
        AccessLog.objects.filter(client_id=client.pk)
        .select_related("user")
        .order_by("-accessed_at", "-id")
    )
    return Section(
        _("Who looked at your data"),
        [_("When"), _("Who"), _("Role"), _("What"), _("Reason")],
        [
            [
                text(entry.accessed_at),
                str(entry.user),
                entry.user.get_role_display(),
                entry.view,
                entry.get_reason_display(),
            ]
            for entry in entries
        ],
    )


def document_sections(client: Client) -> list[Section]:
    return [
        person_section(client),
        benefit_section(client),
        ladder_section(client),
        group_section(client),
        conversation_section(client),
        plan_section(client),
        agreement_section(client),
        meeting_section(client),
        *sections_of_other_apps(client),
        access_section(client),
    ]


def document_context(client: Client) -> dict[str, Any]:
    return {
        "client": client,
        "sections": document_sections(client),
        "made_on": timezone.localdate(),
    }


def render_subject_access_html(client: Client) -> str:
    """The document's HTML, in Dutch; `client` comes from client_for_subject_access."""
    with translation.override(LANGUAGE):
        return render_to_string("privacy/subject_access_pdf.html", document_context(client))


def render_subject_access_pdf(client: Client) -> bytes:
    # Imported here: importing WeasyPrint parses its stylesheets (slow), which only this view
    # needs, not every process that loads the URLconf.
    from casework.pdf import html_to_pdf

    return html_to_pdf(render_subject_access_html(client))
