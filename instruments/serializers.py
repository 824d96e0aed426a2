"""Serializers of the instruments API: the catalogue, trajecten and the budget lines' figures.

They only describe and render: a traject is started and ended through the page's forms
(instruments.forms) and services (instruments.services); the request serializers here describe
those forms' fields for the schema and validate nothing."""

import dataclasses
from decimal import Decimal

from rest_framework import serializers

from clients.models import ClientGroup
from instruments.models import (
    EarlyEndReason,
    EligibilityRule,
    Instrument,
    Provider,
    Trajectory,
    TrajectoryStatus,
)
from instruments.selectors import BudgetRow

CATEGORY_HELP = (
    "Category code: `activation`, `training`, `work_learning` (werkleerroute), `volunteering`, "
    "`diagnosis`, `supported_work`, `employer`, `premium` or `care`."
)
STATUS_HELP = (
    "`running`, `succeeded`, `ended_early` (voortijdig beëindigd) or `converted_to_work` "
    "(omgezet in werk)."
)
EARLY_END_HELP = (
    "Why the traject ended early: `dropped_out`, `illness`, `not_suitable`, `moved`, "
    "`benefit_ended`, `back_on_benefit`, `provider` or `other`; empty otherwise."
)


# The catalogue -----------------------------------------------------------------------------------


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    """An organisation that carries out trajecten (aanbieder)."""

    class Meta:
        model = Provider
        fields = ["id", "name", "is_active"]
        read_only_fields = fields


class EligibilityRuleSerializer(serializers.ModelSerializer[EligibilityRule]):
    """A condition of an instrument. A failed rule is a warning the consultant confirms with a
    reason when starting a traject; it never blocks."""

    kind = serializers.CharField(
        read_only=True,
        help_text=(
            "`requires_instrument`, `min_months_on_benefit`, `min_ladder_step`, "
            "`max_ladder_step`, `client_group_in`, `min_age`, `max_age` or `not_together_with`."
        ),
    )
    number = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="N for the kinds that need a number."
    )
    other_instrument = serializers.IntegerField(
        source="required_instrument_id",
        read_only=True,
        allow_null=True,
        help_text=(
            "Id of the instrument that must have been completed (requires_instrument) or must "
            "not be running (not_together_with); null for the other kinds."
        ),
    )
    message = serializers.CharField(
        read_only=True, help_text="Shown when the rule fails; empty for the standard message."
    )

    class Meta:
        model = EligibilityRule
        fields = ["kind", "number", "other_instrument", "message"]
        read_only_fields = fields


class InstrumentSerializer(serializers.ModelSerializer[Instrument]):
    """An instrument of the catalogue (instrumentenkaart), with its providers, the budget line it
    is paid from and its eligibility rules."""

    category = serializers.CharField(read_only=True, help_text=CATEGORY_HELP)
    client_groups: serializers.SlugRelatedField[ClientGroup] = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the client groups (klantgroepen) the instrument is meant for.",
    )
    budget_line = serializers.CharField(
        source="budget_line.code",
        read_only=True,
        allow_null=True,
        help_text=(
            "Code of the budget line (begrotingspost) it is paid from; null when another "
            "organisation pays (UWV, Wmo, tax authority)."
        ),
    )
    unit_cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="Standard cost in euros, per `cost_unit`.",
    )
    cost_unit = serializers.CharField(
        read_only=True, help_text="`trajectory` (per traject), `month` or `hour`."
    )
    typical_duration_months = serializers.IntegerField(
        read_only=True, help_text="Typical duration in months."
    )
    instalment_months = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=(
            "Months after the start in which the cost is paid in equal parts (e.g. [3, 6]); "
            "empty: spread over the months the traject runs."
        ),
    )
    providers = ProviderSerializer(many=True, read_only=True)
    eligibility_rules = EligibilityRuleSerializer(many=True, read_only=True)
    is_active = serializers.BooleanField(
        read_only=True, help_text="Whether new trajecten can be started with it."
    )

    class Meta:
        model = Instrument
        fields = [
            "id",
            "name",
            "description",
            "category",
            "client_groups",
            "budget_line",
            "unit_cost",
            "cost_unit",
            "typical_duration_months",
            "instalment_months",
            "providers",
            "eligibility_rules",
            "is_active",
        ]
        read_only_fields = fields


# Trajecten ---------------------------------------------------------------------------------------


class TrajectorySerializer(serializers.ModelSerializer[Trajectory]):
    """A traject: one client's use of one instrument, with its cost, the commitment on the
    budget line and, when the client did not meet every condition, the confirmed warnings."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    instrument = serializers.IntegerField(
        source="instrument_id", read_only=True, help_text="Id of the instrument."
    )
    instrument_name = serializers.CharField(
        source="instrument.name", read_only=True, help_text="Name of the instrument."
    )
    provider = serializers.IntegerField(
        source="provider_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the provider (aanbieder); null if none.",
    )
    provider_name = serializers.CharField(
        source="provider.name",
        read_only=True,
        allow_null=True,
        help_text="Name of the provider; null if none.",
    )
    client_group = serializers.CharField(
        source="client_group.code",
        read_only=True,
        allow_null=True,
        help_text="Code of the client's klantgroep when the traject started; null without one.",
    )
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    is_running = serializers.BooleanField(read_only=True, help_text="Whether it is running.")
    start_date = serializers.DateField(read_only=True)
    planned_end_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="Actual end date; null while running."
    )
    early_end_reason = serializers.CharField(read_only=True, help_text=EARLY_END_HELP)
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Cost in euros."
    )
    committed = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text=(
            "The cost still committed to the budget line (verplichting), in euros: the cost, "
            "less what was released by ending early; 0 when no budget line pays."
        ),
    )
    realised = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="The part of the commitment in months up to this month (gerealiseerd).",
    )
    plan = serializers.IntegerField(
        source="plan_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the plan (plan van aanpak); or null.",
    )
    goal = serializers.CharField(read_only=True, help_text="The plan goal it serves.")
    conversation = serializers.IntegerField(
        source="conversation_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the conversation (gesprek) in which it was agreed; or null.",
    )
    started_by = serializers.IntegerField(
        source="started_by_id", read_only=True, help_text="User id of who started it."
    )
    overridden_rules = serializers.SerializerMethodField(
        help_text=(
            "The eligibility warnings confirmed when it was started; empty when the client met "
            "every condition."
        )
    )
    override_reason = serializers.CharField(
        read_only=True, help_text="Why it was started despite the warnings; empty without any."
    )
    overridden_by = serializers.IntegerField(
        source="overridden_by_id",
        read_only=True,
        allow_null=True,
        help_text="User id of who confirmed the warnings; null without any.",
    )

    class Meta:
        model = Trajectory
        fields = [
            "id",
            "client",
            "instrument",
            "instrument_name",
            "provider",
            "provider_name",
            "client_group",
            "status",
            "is_running",
            "start_date",
            "planned_end_date",
            "end_date",
            "early_end_reason",
            "cost",
            "committed",
            "realised",
            "plan",
            "goal",
            "conversation",
            "started_by",
            "overridden_rules",
            "override_reason",
            "overridden_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_overridden_rules(self, trajectory: Trajectory) -> list[str]:
        return trajectory.overridden_rules.splitlines()


@dataclasses.dataclass(frozen=True)
class EndedTrajectory:
    trajectory: Trajectory
    released: Decimal


class TrajectoryEndedSerializer(serializers.Serializer[EndedTrajectory]):
    """An ended traject, with the part of its commitment that was released."""

    trajectory = TrajectorySerializer(read_only=True)
    released = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="The commitment of the months after the end, released (vrijgevallen), in euros.",
    )


class TrajectoryStartSerializer(serializers.Serializer[None]):
    """The request body that starts a traject: the client and the fields of the page's form
    (instruments.forms.TrajectoryStartForm), which validates them. For the schema only."""

    client = serializers.IntegerField(help_text="Id of a client in the user's team.")
    instrument = serializers.IntegerField(help_text="Id of an active instrument.")
    provider = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of an active provider (aanbieder)."
    )
    start_date = serializers.DateField()
    planned_end_date = serializers.DateField(help_text="On or after the start date.")
    cost = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Cost in euros; leave out for the catalogue's standard cost.",
    )
    plan = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a plan (plan van aanpak) of the client."
    )
    goal = serializers.CharField(
        max_length=300, required=False, allow_blank=True, help_text="The plan goal it serves."
    )
    conversation = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Id of a conversation (gesprek) of the client in which it was agreed.",
    )
    confirm_override = serializers.BooleanField(
        required=False,
        help_text=(
            "Only when the client does not meet every condition of the instrument: true to "
            "start anyway, together with `override_reason`."
        ),
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why the traject is started despite the eligibility warnings.",
    )


class TrajectoryEndSerializer(serializers.Serializer[None]):
    """The request body that ends a traject: the fields of the page's form
    (instruments.forms.TrajectoryEndForm), which validates them. For the schema only."""

    status = serializers.ChoiceField(
        choices=[c for c in TrajectoryStatus.choices if c[0] != TrajectoryStatus.RUNNING],
        help_text="The outcome: `succeeded`, `ended_early` or `converted_to_work`.",
    )
    end_date = serializers.DateField(help_text="On or after the start date.")
    early_end_reason = serializers.ChoiceField(
        choices=EarlyEndReason.choices,
        required=False,
        allow_blank=True,
        help_text=f"Required when, and only when, the status is `ended_early`. {EARLY_END_HELP}",
    )


# Budget lines ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BudgetYearFigures:
    """A row of the budget page (instruments.selectors.budget_overview) for one year."""

    year: int
    figures: BudgetRow


@dataclasses.dataclass(frozen=True)
class BudgetLineFigures(BudgetYearFigures):
    """A budget line with its row of the budget page."""

    id: int
    code: str
    name: str


def figure(name: str, help_text: str, *, allow_null: bool = False) -> serializers.DecimalField:
    """An amount of the budget page's row, in euros."""
    return serializers.DecimalField(
        source=f"figures.{name}",
        max_digits=14,
        decimal_places=2,
        read_only=True,
        allow_null=allow_null,
        help_text=help_text,
    )


class BudgetTotalSerializer(serializers.Serializer[BudgetYearFigures]):
    """The totals of all budget lines for one year, as on the budget page, in euros."""

    year = serializers.IntegerField(read_only=True, help_text="The year of the figures.")
    available = figure("available", "The year's budget (beschikbaar).")
    committed = figure("committed", "Committed to trajecten in months of the year (verplicht).")
    realised = figure("realised", "The commitments of the months up to this month (gerealiseerd).")
    remaining = figure("remaining", "Available less committed (nog vrij).")
    forecast = figure(
        "forecast",
        "Run-rate forecast to the end of the year (prognose); null for a year that has not "
        "started.",
        allow_null=True,
    )
    overspending = serializers.BooleanField(
        source="figures.overspending",
        read_only=True,
        help_text="Heading for overspending: more committed than available, or a forecast above.",
    )


class BudgetLineSerializer(BudgetTotalSerializer):
    """A budget line (begrotingspost) with its figures for one year, as on the budget page, in
    euros. Aggregates only: no person."""

    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="Code of the budget line.")
    name = serializers.CharField(read_only=True, help_text="Name of the budget line.")
