"""Serializers of the plans API (plan van aanpak, afspraken). Read-only: users are given as ids."""

from rest_framework import serializers

from clients.models import Agreement, Plan

STATUS_HELP = (
    "`open`, `done` (gedaan), `missed` (niet gehaald, with a reason) or `cancelled` (vervallen)."
)
RESPONSIBLE_HELP = "Who does it: `client`, `consultant` or `partner` (samenwerkingspartner)."
AGREEMENT_FIELDS = [
    "id",
    "description",
    "responsible",
    "due_date",
    "status",
    "missed_reason",
    "status_changed_on",
]


class PlanAgreementSerializer(serializers.ModelSerializer[Agreement]):
    """An agreement (afspraak) within its plan: who does what by when."""

    description = serializers.CharField(read_only=True, help_text="What is agreed.")
    responsible = serializers.CharField(read_only=True, help_text=RESPONSIBLE_HELP)
    due_date = serializers.DateField(read_only=True, help_text="By when (uiterlijk op).")
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    missed_reason = serializers.CharField(
        read_only=True, help_text="Why it was missed; empty unless the status is `missed`."
    )
    status_changed_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The day the status last changed; null while it never did.",
    )

    class Meta:
        model = Agreement
        fields = AGREEMENT_FIELDS
        read_only_fields = fields


class AgreementSerializer(PlanAgreementSerializer):
    """An agreement (afspraak) with its plan and client."""

    plan = serializers.IntegerField(
        source="plan_id", read_only=True, help_text="Id of the plan (plan van aanpak)."
    )
    client = serializers.IntegerField(
        source="plan.client_id", read_only=True, help_text="Id of the client."
    )
    plan_is_current = serializers.BooleanField(
        read_only=True,
        help_text=(
            "Whether the agreement belongs to the client's current plan (the newest); the "
            "agreements of earlier plans are history and no longer change."
        ),
    )

    class Meta(PlanAgreementSerializer.Meta):
        fields = ["id", "plan", "client", *AGREEMENT_FIELDS[1:], "plan_is_current"]
        read_only_fields = fields


class PlanSerializer(serializers.ModelSerializer[Plan]):
    """A plan van aanpak in a list, without its goals and agreements."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    drawn_up_by = serializers.IntegerField(
        source="drawn_up_by_id",
        read_only=True,
        help_text="User id of the consultant who drew up the plan.",
    )
    client_signed_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Signed by the client on; null until then."
    )
    municipality_signed_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Signed for the municipality on; null until then.",
    )
    is_signed = serializers.BooleanField(
        read_only=True, help_text="Signed by both the client and the municipality."
    )
    is_current = serializers.BooleanField(
        read_only=True,
        help_text="Whether this is the client's current plan: the newest (by date, then id).",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "client",
            "drawn_up_on",
            "drawn_up_by",
            "client_signed_on",
            "municipality_signed_on",
            "is_signed",
            "is_current",
            "created_at",
        ]
        read_only_fields = fields


class PlanDetailSerializer(PlanSerializer):
    """One plan van aanpak with its goals and agreements (afspraken), open ones first."""

    goals = serializers.CharField(read_only=True, help_text="The goals of the plan (doelen).")
    agreements = PlanAgreementSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "goals", "agreements"]
        read_only_fields = fields
