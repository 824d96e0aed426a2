"""Serializers of the employer services API (werkgeversdienstverlening): employers, vacancies and
placements. They only describe and render rows: an employer is created through
instruments.employer_forms.EmployerForm and instruments.placements, like on the page."""

from rest_framework import serializers

from instruments.models import Employer, Placement, Vacancy


class EmployerSerializer(serializers.ModelSerializer[Employer]):
    """An employer (werkgever); municipality-wide, not tied to a team."""

    sector = serializers.IntegerField(
        source="sector_id",
        read_only=True,
        help_text="Id of the employer's sector (kansrijke sector).",
    )
    sector_name = serializers.CharField(
        source="sector.name", read_only=True, help_text="Name of the employer's sector."
    )
    open_vacancy_count = serializers.IntegerField(
        read_only=True, help_text="Number of open vacancies (vacatures) of the employer."
    )

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "kvk_number",
            "sector",
            "sector_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "city",
            "created_at",
            "open_vacancy_count",
        ]
        read_only_fields = fields


class EmployerCreateSerializer(serializers.Serializer[Employer]):
    """The request body of a new employer: the fields of the page's form
    (instruments.employer_forms.EmployerForm), which validates them. For the schema only."""

    name = serializers.CharField(max_length=200)
    kvk_number = serializers.CharField(
        max_length=8, help_text="The 8 digits of the Chamber of Commerce (KvK) registration."
    )
    sector = serializers.IntegerField(help_text="Id of an active sector (kansrijke sector).")
    contact_name = serializers.CharField(max_length=200, help_text="The contact person.")
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)


class VacancySerializer(serializers.ModelSerializer[Vacancy]):
    """A vacancy (vacature) of an employer."""

    employer = serializers.IntegerField(
        source="employer_id", read_only=True, help_text="Id of the employer."
    )
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, help_text="Name of the employer."
    )
    sector = serializers.IntegerField(
        source="employer.sector_id",
        read_only=True,
        help_text="Id of the employer's sector (kansrijke sector).",
    )
    level = serializers.CharField(
        read_only=True,
        help_text="Education level asked: `basic`, `mbo_1_2`, `mbo_3_4` or `hbo`.",
    )
    is_open = serializers.BooleanField(
        read_only=True, help_text="Whether the vacancy is still open (openstaand)."
    )

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "employer",
            "employer_name",
            "sector",
            "title",
            "hours_per_week",
            "level",
            "requirements",
            "is_open",
            "posted_on",
        ]
        read_only_fields = fields


class PlacementSerializer(serializers.ModelSerializer[Placement]):
    """A client placed in work with an employer (plaatsing), with its durability."""

    client = serializers.IntegerField(
        source="client_id", read_only=True, help_text="Id of the client."
    )
    employer = serializers.IntegerField(
        source="employer_id", read_only=True, help_text="Id of the employer."
    )
    employer_name = serializers.CharField(
        source="employer.name", read_only=True, help_text="Name of the employer."
    )
    vacancy = serializers.IntegerField(
        source="vacancy_id",
        read_only=True,
        allow_null=True,
        help_text="Id of the vacancy the client was placed on; null when placed without one.",
    )
    contract_type = serializers.CharField(
        read_only=True,
        help_text="`fixed_term`, `permanent`, `agency` (uitzendwerk) or `trial` (proefplaatsing).",
    )
    placed_by = serializers.IntegerField(
        source="placed_by_id",
        read_only=True,
        help_text="User id of the consultant who recorded the placement.",
    )
    ended_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="Last day of work; null while it runs."
    )
    durable_from = serializers.DateField(
        read_only=True,
        help_text=(
            "The day the placement counts as durable (duurzaam) if the client stays off benefit: "
            "the start plus the municipality's months."
        ),
    )
    is_durable = serializers.BooleanField(
        read_only=True,
        help_text=(
            "Durable (duurzame uitstroom): durable_from has come and no benefit period of the "
            "client covers a day of the months from the start. The rule of the dossier and the "
            "monitor."
        ),
    )

    class Meta:
        model = Placement
        fields = [
            "id",
            "client",
            "employer",
            "employer_name",
            "vacancy",
            "start_date",
            "contract_type",
            "hours_per_week",
            "with_wage_subsidy",
            "with_job_coaching",
            "ended_on",
            "placed_by",
            "created_at",
            "durable_from",
            "is_durable",
        ]
        read_only_fields = fields
