"""Serializers of the clients API. The BSN leaves only masked (*****1234): a full BSN is
looked up by POST (BsnSearchSerializer), never shown."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from clients.bsn import clean_bsn
from clients.models import BenefitPeriod, Client, ClientGroupAssignment, LadderMeasurement

CLIENT_FIELDS = [
    "id",
    "masked_bsn",
    "first_name",
    "surname_prefix",
    "last_name",
    "full_name",
    "date_of_birth",
    "gender",
    "household_type",
    "education_level",
    "team",
    "consultants",
]


class ClientSerializer(serializers.ModelSerializer[Client]):
    """A client in a list (cliënt), with the current klantgroep and ladder step."""

    masked_bsn = serializers.CharField(
        read_only=True, help_text="BSN with all but 4 digits masked."
    )
    full_name = serializers.CharField(read_only=True)
    current_group = serializers.CharField(
        source="current_group_name",
        read_only=True,
        allow_null=True,
        help_text="Name of the current client group (klantgroep); null without one.",
    )
    current_ladder_step = serializers.IntegerField(
        source="current_step",
        read_only=True,
        allow_null=True,
        help_text="Current step on the participation ladder (participatieladder).",
    )
    target_ladder_step = serializers.IntegerField(
        source="target_step",
        read_only=True,
        allow_null=True,
        help_text="Target step on the participation ladder agreed at the current step.",
    )
    on_benefit = serializers.BooleanField(
        read_only=True, help_text="Whether the client has an open benefit period (uitkering)."
    )

    class Meta:
        model = Client
        fields = [
            *CLIENT_FIELDS,
            "current_group",
            "current_ladder_step",
            "target_ladder_step",
            "on_benefit",
        ]
        read_only_fields = fields


class BenefitPeriodSerializer(serializers.ModelSerializer[BenefitPeriod]):
    """A period on benefit (uitkering): the start is instroom, the end uitstroom with a reason.
    In the dossier and in /api/v1/benefit-periods/."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    scheme = serializers.CharField(
        read_only=True,
        help_text="The benefit scheme (regeling): `pw`, `ioaw`, `ioaz` or `bbz`.",
    )
    start_date = serializers.DateField(read_only=True, help_text="First day on benefit (instroom).")
    end_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Last day on benefit (uitstroom); null while the period is open.",
    )
    end_reason = serializers.CharField(
        read_only=True,
        help_text=(
            "Why the benefit ended (uitstroomreden): `work`, `own_business`, `study`, `moved` or "
            "`other`; empty while the period is open."
        ),
    )
    partner = serializers.IntegerField(
        source="partner_id",
        read_only=True,
        allow_null=True,
        help_text="Client id of the partner on the same benefit; null without one.",
    )

    class Meta:
        model = BenefitPeriod
        fields = ["id", "client", "scheme", "start_date", "end_date", "end_reason", "partner"]
        read_only_fields = fields


class ClientGroupAssignmentSerializer(serializers.ModelSerializer[ClientGroupAssignment]):
    """A period in a client group (klantgroep). In the dossier and in /api/v1/group-assignments/
    (read-only: the klantgroep changes by completing a conversation)."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    group = serializers.CharField(
        source="group.code",
        read_only=True,
        help_text="Code of the client group (klantgroep), e.g. `groeien`.",
    )
    group_name = serializers.CharField(
        source="group.name", read_only=True, help_text="Name of the client group."
    )
    start_date = serializers.DateField(read_only=True, help_text="First day in the group.")
    end_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Last day in the group; null for the current group.",
    )
    reason = serializers.CharField(read_only=True, help_text="Why this group was chosen.")
    chosen_by_client = serializers.BooleanField(
        read_only=True,
        help_text="Whether the group was chosen together with the client.",
    )
    assigned_by = serializers.IntegerField(
        source="assigned_by_id",
        read_only=True,
        allow_null=True,
        help_text="User id of who recorded the assignment; null when unknown.",
    )
    conversation = serializers.IntegerField(
        source="conversation_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the conversation (gesprek) it was decided in; null without one.",
    )

    class Meta:
        model = ClientGroupAssignment
        fields = [
            "id",
            "client",
            "group",
            "group_name",
            "start_date",
            "end_date",
            "reason",
            "chosen_by_client",
            "assigned_by",
            "conversation",
        ]
        read_only_fields = fields


class LadderMeasurementSerializer(serializers.ModelSerializer[LadderMeasurement]):
    """A measurement on the participation ladder (participatieladder). In the dossier and in
    /api/v1/ladder-measurements/."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    measured_on = serializers.DateField(read_only=True, help_text="Day of the measurement.")
    step = serializers.IntegerField(
        source="step.number",
        read_only=True,
        help_text="The step the client is on (trede), by its number (1-6 by default).",
    )
    target_step = serializers.IntegerField(
        source="target_step.number",
        read_only=True,
        help_text="The step aimed for (doeltrede), by its number.",
    )
    note = serializers.CharField(read_only=True, help_text="The consultant's note.")
    measured_by = serializers.IntegerField(
        source="measured_by_id",
        read_only=True,
        allow_null=True,
        help_text="User id of who measured; null when unknown.",
    )
    conversation = serializers.IntegerField(
        source="conversation_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the conversation (gesprek) it was measured in; null without one.",
    )

    class Meta:
        model = LadderMeasurement
        fields = [
            "id",
            "client",
            "measured_on",
            "step",
            "target_step",
            "note",
            "measured_by",
            "conversation",
        ]
        read_only_fields = fields


class ClientDetailSerializer(serializers.ModelSerializer[Client]):
    """One client's dossier: contact details and the histories of benefit (uitkering),
    klantgroep and participation ladder, newest first."""

    masked_bsn = serializers.CharField(
        read_only=True, help_text="BSN with all but 4 digits masked."
    )
    full_name = serializers.CharField(read_only=True)
    benefit_periods = BenefitPeriodSerializer(many=True, read_only=True)
    group_assignments = ClientGroupAssignmentSerializer(many=True, read_only=True)
    ladder_measurements = LadderMeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = [
            *CLIENT_FIELDS,
            "street",
            "house_number",
            "postcode",
            "city",
            "neighbourhood",
            "phone",
            "email",
            "has_basic_qualification",
            "is_status_holder",
            "has_civic_integration_duty",
            "in_target_group_register",
            "barriers",
            "benefit_periods",
            "group_assignments",
            "ladder_measurements",
        ]
        read_only_fields = fields


class BsnSearchSerializer(serializers.Serializer[None]):
    bsn = serializers.CharField(
        max_length=20,
        help_text="The burgerservicenummer to look up; spaces, dots and dashes are ignored.",
    )

    def validate_bsn(self, value: str) -> str:
        try:
            return clean_bsn(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
