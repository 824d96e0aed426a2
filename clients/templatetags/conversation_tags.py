"""The dossier's conversation section: start a conversation, the list, and the domain scores of
successive conversations side by side. Two queries, whatever the number of conversations."""

import dataclasses
import functools
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clients.conversations import selectors
from clients.conversations.selectors import ScoreCell, ScoreRow
from clients.conversations.views import create_url
from clients.models import Client, Conversation, ConversationKind, ConversationStatus

register = template.Library()


@dataclasses.dataclass(frozen=True)
class ConversationLink:
    """A conversation's link and date, as the list and the score table's columns show them: made
    once per conversation in both (a tag or filter call per cell in the template)."""

    url: str
    held_on: str

    @classmethod
    def of(cls, conversation: Conversation) -> "ConversationLink":
        return cls(
            reverse("conversations:detail", args=[conversation.pk]),
            date_format(conversation.held_on, "SHORT_DATE_FORMAT"),
        )


@dataclasses.dataclass(frozen=True)
class ConversationRow:
    """A row of the list, with the labels of the kind and status translated once per section:
    get_kind_display()/get_status_display() rebuild and translate the field's choices on every
    call, which made a quarter of the section's rendering."""

    conversation: Conversation
    link: ConversationLink
    kind: str
    status: str


@register.inclusion_tag("clients/_partials/dossier_conversations.html", takes_context=True)
def dossier_conversations(context: template.Context, client: Client) -> dict[str, Any]:
    """The dossier's conversation section."""
    # The rule with the client: no conversation is started for an anonymised client.
    can_write = context["request"].user.has_perm("clients.change_client", client)
    # The list shows the date, kind, status and consultant of each conversation, not its
    # report and answers: only those columns (and the consultant's name) are read.
    conversations = list(
        selectors.client_conversations(client).only(
            "client_id",
            "kind",
            "status",
            "held_on",
            "consultant__username",
            "consultant__first_name",
            "consultant__last_name",
        )
    )
    links = {conversation.pk: ConversationLink.of(conversation) for conversation in conversations}
    kind_labels = {kind: str(label) for kind, label in ConversationKind.choices}
    status_labels = {status: str(label) for status, label in ConversationStatus.choices}
    score_table = selectors.domain_score_table(client)
    return {
        "client": client,
        "can_write": can_write,
        "start_links": [
            {"label": label, "url": create_url(client, kind)}
            for kind, label in ConversationKind.choices
        ]
        if can_write
        else [],
        "conversations": [
            ConversationRow(
                conversation,
                links[conversation.pk],
                kind=kind_labels[conversation.kind],
                status=status_labels[conversation.status],
            )
            for conversation in conversations
        ],
        "score_table": score_table,
        # The columns are conversations of the list, unless one was added in between.
        "score_columns": [
            links.get(conversation.pk) or ConversationLink.of(conversation)
            for conversation in score_table.conversations
        ],
    }


@functools.lru_cache(maxsize=128)
def _score_cell(cell: ScoreCell, language: str | None) -> SafeString:
    """One score with its movement since the previous one: an arrow for the eye and a text for
    screen readers. A cell depends only on the two scores and the language, so the few dozen
    different ones are made once."""
    if cell.score is None:
        return format_html(
            '<td class="number" data-score="" data-movement="">'
            '<span aria-hidden="true">\N{EN DASH}</span>'
            '<span class="visually-hidden">{}</span></td>',
            _("not scored"),
        )
    movement = cell.movement
    if movement == "up":
        marker = format_html(
            ' <span aria-hidden="true">↑</span><span class="visually-hidden">{}</span>',
            _("up from %(previous)s") % {"previous": cell.previous},
        )
    elif movement == "down":
        marker = format_html(
            ' <span aria-hidden="true">↓</span><span class="visually-hidden">{}</span>',
            _("down from %(previous)s") % {"previous": cell.previous},
        )
    elif movement == "same":
        marker = format_html(
            ' <span aria-hidden="true">→</span><span class="visually-hidden">{}</span>',
            _("unchanged"),
        )
    else:
        marker = SafeString()
    return format_html(
        '<td class="number" data-score="{}" data-movement="{}">{}{}</td>',
        cell.score,
        movement,
        cell.score,
        marker,
    )


@register.simple_tag
def score_cells(row: ScoreRow) -> SafeString:
    """The cells of one life domain's row of the score table. Rendered here rather than by a
    template loop: with a column per conversation and a row per domain, a few hundred cells
    through the template engine were half of the dossier's conversation section."""
    language = get_language()
    return format_html_join("", "{}", ((_score_cell(cell, language),) for cell in row.cells))
