"""Serializers of the conversations API (/api/v1/conversations/). A conversation leaves with the
fields of every kind (those of other kinds empty) and names policy rows by their code or number:
klantgroepen and checklist questions by code, ladder steps by number, life domains by code.

The write serializers describe the request body in the schema only: the body is validated by the
page's ConversationForm and saved by clients.conversations.services (see api.py)."""

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from clients.conversations.forms import KIND_FIELDS
from clients.conversations.services import REQUIRED_TO_COMPLETE
from clients.models import (
    AgreementReview,
    AgreementStatus,
    Conversation,
    ConversationAddendum,
    ConversationKind,
    ConversationStatus,
    DomainScore,
    LegalityJudgement,
    Location,
    Partner,
    ScreeningOutcome,
    ScreeningQuestion,
    UrgentNeed,
)
from clients.plans.serializers import STATUS_HELP


def codes(choices: Any) -> str:
    return ", ".join(f"`{value}`" for value, _label in choices)


def kinds_of(field: str) -> str:
    """Which kinds have this field, and which need it to be completed (for the help texts)."""
    kinds = [kind for kind, fields in KIND_FIELDS.items() if field in fields]
    needed = [kind for kind in kinds if field in REQUIRED_TO_COMPLETE[kind]]
    text = "Kinds: " + ", ".join(f"`{kind}`" for kind in kinds) + "."
    if needed:
        text += " Needed to complete: " + ", ".join(f"`{kind}`" for kind in needed) + "."
    return text


GROUP_HELP = "Code of the client group (klantgroep), e.g. `groeien`; null for none."
STEP_HELP = "Number of the step on the participation ladder (trede), 1-6 by default; null for none."

# The help texts of the conversation's fields, shared by the response and the request body.
HELP: dict[str, str] = {
    "held_on": "Day of the conversation (YYYY-MM-DD).",
    "consultant": "User id of the consultant who held it (a consultant of the user's team).",
    "location": f"Where it was held: {codes(Location.choices)}; empty for unknown.",
    "notes": "The report (verslag), free text.",
    "checklist": "Codes of the screening questions confirmed (checklist).",
    "legality_judgement": (
        f"Judgement of the entitlement (rechtmatigheid): {codes(LegalityJudgement.choices)}."
    ),
    "urgent_need": f"Urgent need (acute nood): {codes(UrgentNeed.choices)}.",
    "urgent_action": "What was done about the urgent need; needed when there is one.",
    "referred_to": "Ids of the partners the client was referred to (doorverwezen).",
    "screening_outcome": f"Outcome of the screening: {codes(ScreeningOutcome.choices)}.",
    "ambition": "The client's ambition, in their own words.",
    "preferred_group": f"The client group the client prefers. {GROUP_HELP}",
    "advised_group": f"The client group the consultant advises. {GROUP_HELP}",
    "rights_and_duties_explained": "Whether rights and duties were explained; null for unknown.",
    "kickoff": (
        "Id of the upcoming kick-off meeting (bijeenkomst) of the client's team to invite the "
        "client to on completion; null for none."
    ),
    "wellbeing": "Stress and wellbeing.",
    "living_situation": "Living and income situation (bestaanszekerheid).",
    "minima_discussed": "Whether the minimum income schemes (minimaregelingen) were discussed.",
    "debts_discussed": "Whether debts (schulden) were discussed.",
    "legality_checked": "Whether the legality (rechtmatigheid) was checked.",
    "group_still_right": (
        "Whether the client group is still right; false asks for a new group and a reason."
    ),
    "new_group": (
        "The client group (klantgroep) from now on: completing the conversation moves the client "
        f"into it when it is not their current group. {GROUP_HELP}"
    ),
    "group_change_reason": (
        "Why this client group: needed for a change, or for a group other than the preferred one."
    ),
    "chosen_by_client": "Whether the client group was chosen together with the client.",
    "ladder_step": (
        f"The current step; completing records a ladder measurement. Comes with ladder_target. "
        f"{STEP_HELP}"
    ),
    "ladder_target": f"The target step (doeltrede). Comes with ladder_step. {STEP_HELP}",
}


def help_text(field: str) -> str:
    return f"{HELP[field]} {kinds_of(field)}"


class DomainScoreSerializer(serializers.ModelSerializer[DomainScore]):
    """Self-reliance on one life domain (leefgebied), 1 (acute problems) to 5 (fully
    self-reliant)."""

    domain = serializers.CharField(
        source="domain.code", read_only=True, help_text="Code of the life domain, e.g. `work`."
    )
    score = serializers.IntegerField(read_only=True, help_text="1 to 5.")
    note = serializers.CharField(read_only=True, help_text="A note on the score.")

    class Meta:
        model = DomainScore
        fields = ["domain", "score", "note"]
        read_only_fields = fields


class AgreementReviewSerializer(serializers.ModelSerializer[AgreementReview]):
    """Progress on an agreement (afspraak) of the plan, applied to it on completion."""

    agreement = serializers.IntegerField(
        source="agreement_id", read_only=True, help_text="Id of the agreement (afspraak)."
    )
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    note = serializers.CharField(
        read_only=True, help_text="Why the agreement was missed, or another note."
    )

    class Meta:
        model = AgreementReview
        fields = ["agreement", "status", "note"]
        read_only_fields = fields


class AddendumSerializer(serializers.ModelSerializer[ConversationAddendum]):
    """A later addition (aanvulling) to a completed conversation."""

    author = serializers.IntegerField(
        source="author_id", read_only=True, help_text="User id of the author."
    )
    created_at = serializers.DateTimeField(read_only=True, help_text="When it was added.")
    text = serializers.CharField(read_only=True)

    class Meta:
        model = ConversationAddendum
        fields = ["id", "author", "created_at", "text"]
        read_only_fields = fields


def group_field(field: str) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=help_text(field)
    )


def step_field(field: str) -> serializers.SlugRelatedField[Any]:
    return serializers.SlugRelatedField(
        slug_field="number", read_only=True, allow_null=True, help_text=help_text(field)
    )


class ConversationSerializer(serializers.ModelSerializer[Conversation]):
    """A conversation (gesprek) with every field; the fields of other kinds are empty."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    kind = serializers.CharField(
        read_only=True,
        help_text=f"The kind of conversation: {codes(ConversationKind.choices)}.",
    )
    status = serializers.CharField(
        read_only=True,
        help_text=(
            f"{codes(ConversationStatus.choices)}: a draft (concept) can be changed, a completed "
            "conversation only gets addenda."
        ),
    )
    completed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it was completed; null for a draft."
    )
    consultant = serializers.IntegerField(
        source="consultant_id", read_only=True, help_text=HELP["consultant"]
    )
    checklist: serializers.SlugRelatedField[ScreeningQuestion] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text=help_text("checklist")
    )
    referred_to: serializers.PrimaryKeyRelatedField[Partner] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=help_text("referred_to")
    )
    preferred_group = group_field("preferred_group")
    advised_group = group_field("advised_group")
    new_group = group_field("new_group")
    ladder_step = step_field("ladder_step")
    ladder_target = step_field("ladder_target")
    kickoff = serializers.IntegerField(
        source="kickoff_id", read_only=True, allow_null=True, help_text=help_text("kickoff")
    )
    domain_scores = DomainScoreSerializer(
        many=True,
        read_only=True,
        help_text="Scores per life domain (leefgebieden). Kinds: `ambition`, where completing "
        "needs every active life domain.",
    )
    agreement_reviews = AgreementReviewSerializer(
        many=True,
        read_only=True,
        help_text="Progress on the agreements of the plan. Kinds: `progress`, where completing "
        "needs every open agreement of the current plan.",
    )
    addenda = AddendumSerializer(
        many=True, read_only=True, help_text="Additions to a completed conversation, oldest first."
    )

    class Meta:
        model = Conversation
        fields = [
            "id",
            "client",
            "kind",
            "status",
            "held_on",
            "consultant",
            "location",
            "completed_at",
            "created_at",
            "updated_at",
            "checklist",
            "legality_judgement",
            "urgent_need",
            "urgent_action",
            "referred_to",
            "screening_outcome",
            "ambition",
            "preferred_group",
            "advised_group",
            "rights_and_duties_explained",
            "kickoff",
            "wellbeing",
            "living_situation",
            "minima_discussed",
            "debts_discussed",
            "legality_checked",
            "group_still_right",
            "new_group",
            "group_change_reason",
            "chosen_by_client",
            "ladder_step",
            "ladder_target",
            "domain_scores",
            "agreement_reviews",
            "notes",
            "addenda",
        ]
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": help_text(name)} for name in HELP}


# The request body (schema only) -------------------------------------------------------------------


class DomainScoreInputSerializer(serializers.Serializer[None]):
    domain = serializers.CharField(help_text="Code of an active life domain, e.g. `work`.")
    score = serializers.IntegerField(
        allow_null=True, help_text="1 (acute problems) to 5 (fully self-reliant)."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="A note; needs a score."
    )


class AgreementReviewInputSerializer(serializers.Serializer[None]):
    agreement = serializers.IntegerField(
        help_text="Id of an open agreement of the client's current plan, or of one this "
        "conversation already reviews."
    )
    status = serializers.ChoiceField(choices=AgreementStatus.values, help_text=STATUS_HELP)
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed when the status is `missed`: why."
    )


def _input_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The fields of the form, for the schema: a conversation of one kind accepts only its own."""
    fields: dict[str, serializers.Field[Any, Any, Any, Any]] = {
        "complete": serializers.BooleanField(
            required=False,
            default=False,
            help_text="Complete the conversation at once and apply its consequences (klantgroep, "
            "ladder measurement, agreements, kick-off invitation). Left out: save as a draft.",
        ),
        "held_on": serializers.DateField(help_text=HELP["held_on"] + " Needed, also for a draft."),
        "consultant": serializers.IntegerField(
            help_text=HELP["consultant"] + " Needed, also for a draft."
        ),
        "location": serializers.ChoiceField(
            choices=Location.choices,
            allow_blank=True,
            required=False,
            help_text=help_text("location"),
        ),
        "checklist": serializers.ListField(
            child=serializers.CharField(), required=False, help_text=help_text("checklist")
        ),
        "referred_to": serializers.ListField(
            child=serializers.IntegerField(), required=False, help_text=help_text("referred_to")
        ),
        "domain_scores": DomainScoreInputSerializer(
            many=True,
            required=False,
            help_text="Kinds: `ambition`. The scores given replace the conversation's scores; a "
            "life domain left out has no score.",
        ),
        "agreement_reviews": AgreementReviewInputSerializer(
            many=True,
            required=False,
            help_text="Kinds: `progress`. The reviews given replace the conversation's reviews; "
            "an agreement left out is not reviewed.",
        ),
    }
    choices = {
        "legality_judgement": LegalityJudgement.choices,
        "urgent_need": UrgentNeed.choices,
        "screening_outcome": ScreeningOutcome.choices,
    }
    for name, values in choices.items():
        fields[name] = serializers.ChoiceField(
            choices=values, allow_blank=True, required=False, help_text=help_text(name)
        )
    for name in ("preferred_group", "advised_group", "new_group"):
        fields[name] = serializers.CharField(
            required=False, allow_null=True, allow_blank=True, help_text=help_text(name)
        )
    for name in ("ladder_step", "ladder_target", "kickoff"):
        fields[name] = serializers.IntegerField(
            required=False, allow_null=True, help_text=help_text(name)
        )
    for name in ("rights_and_duties_explained", "group_still_right"):
        fields[name] = serializers.BooleanField(
            required=False, allow_null=True, help_text=help_text(name)
        )
    for name in ("minima_discussed", "debts_discussed", "legality_checked", "chosen_by_client"):
        fields[name] = serializers.BooleanField(
            required=False,
            help_text=f"{help_text(name)} Left out of a POST or PUT: false, as an unticked box.",
        )
    for name in (
        "notes",
        "urgent_action",
        "ambition",
        "wellbeing",
        "living_situation",
        "group_change_reason",
    ):
        fields[name] = serializers.CharField(
            required=False, allow_blank=True, help_text=help_text(name)
        )
    return fields


# PUT and PATCH: the fields of the conversation's kind, as on its page.
CONVERSATION_UPDATE = inline_serializer(name="ConversationUpdate", fields=_input_fields())

# POST: the client, the kind and the fields of that kind, as on its page.
CONVERSATION_CREATE = inline_serializer(
    name="ConversationCreate",
    fields={
        "client": serializers.IntegerField(help_text="Id of a client of the user's team."),
        "kind": serializers.ChoiceField(
            choices=ConversationKind.values,
            help_text=f"The kind of conversation: {codes(ConversationKind.choices)}.",
        ),
        **_input_fields(),
    },
)
