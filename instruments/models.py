"""The instrument catalogue, trajecten and budgets.

Policy is data: instruments, their eligibility rules, providers, budget lines, the budget per year
and its allocation per klantgroep are rows the application manager edits in /beheer/, loaded with
the defaults of DOMAIN.md by migration 0002.

A budget line (begrotingspost) is the same post across the years; `Budget` is its amount for one
year. An instrument is paid from a line, so a traject that runs into the next year commits to that
year's budget of the same line.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientGroup, Conversation, Plan


class InstrumentCategory(models.TextChoices):
    ACTIVATION = "activation", _("Activation")
    TRAINING = "training", _("Training")
    WORK_LEARNING = "work_learning", _("Work-learning route (werkleerroute)")
    VOLUNTEERING = "volunteering", _("Volunteer work")
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    SUPPORTED_WORK = "supported_work", _("Work with support")
    EMPLOYER = "employer", _("Employer instrument")
    PREMIUM = "premium", _("Premium")
    CARE = "care", _("Care and daytime activity")


class CostUnit(models.TextChoices):
    PER_TRAJECTORY = "trajectory", _("per trajectory")
    PER_MONTH = "month", _("per month")
    PER_HOUR = "hour", _("per hour")


class Provider(models.Model):
    """An organisation that carries out trajecten (DWT, the SW-bedrijf, Cambio, KonnecteD, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """A begrotingspost: Participatie, WSW, BUIG, Inkomensondersteuning or a municipal line."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return self.name


class Budget(models.Model):
    """The amount available on a budget line in one year. Changed through
    instruments.services.change_budget_amount, which logs who and why."""

    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["-year", "line__position", "line__name"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="one_budget_per_year")]

    def __str__(self) -> str:
        return f"{self.line} {self.year}"


class Allocation(models.Model):
    """The part of a year's budget set aside for a klantgroep (empty: intake and granting the
    benefit) and an executing organisation (Deventer: DWT or IO)."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="allocations"
    )
    client_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for intake and granting the benefit."),
    )
    organisation = models.CharField(_("executing organisation"), max_length=100)
    amount = models.DecimalField(
        _("amount (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["budget", "client_group__position", "organisation"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "client_group", "organisation"],
                nulls_distinct=False,
                name="one_allocation_per_group_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget} {self.client_group or _('intake')} {self.organisation}"


class BudgetChange(models.Model):
    """Who changed a budget or an allocation, from what to what, and why. Written by a service."""

    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.CASCADE, related_name="changes"
    )
    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
    )
    old_amount = models.DecimalField(
        _("old amount (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    new_amount = models.DecimalField(_("new amount (€)"), max_digits=14, decimal_places=2)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("budget change")
        verbose_name_plural = _("budget changes")

    def __str__(self) -> str:
        return f"{self.budget}: {self.old_amount} → {self.new_amount}"


class Instrument(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=InstrumentCategory.choices)
    client_groups = models.ManyToManyField(
        ClientGroup, verbose_name=_("meant for client groups"), blank=True, related_name="+"
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("paid from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        help_text=_("Empty when another organisation pays (UWV, Wmo, tax authority)."),
    )
    unit_cost = models.DecimalField(
        _("standard cost (€)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(0)],
    )
    cost_unit = models.CharField(
        _("unit"), max_length=20, choices=CostUnit.choices, default=CostUnit.PER_TRAJECTORY
    )
    typical_duration_months = models.PositiveSmallIntegerField(
        _("typical duration (months)"), default=6, validators=[MinValueValidator(1)]
    )
    instalment_months = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("paid in instalments after (months)"),
        blank=True,
        default=list,
        help_text=_(
            "For example 3,6: the cost is paid in equal parts this many months after the start "
            "instead of spread over the months the trajectory runs."
        ),
    )
    providers = models.ManyToManyField(
        Provider, verbose_name=_("providers"), blank=True, related_name="instruments"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.name


class RuleKind(models.TextChoices):
    """The eligibility checks the code knows how to evaluate (instruments.eligibility)."""

    REQUIRES_INSTRUMENT = "requires_instrument", _("Requires a completed instrument")
    MIN_MONTHS_ON_BENEFIT = "min_months_on_benefit", _("More than N months on benefit")
    MIN_LADDER_STEP = "min_ladder_step", _("Ladder step at least N")
    MAX_LADDER_STEP = "max_ladder_step", _("Ladder step at most N")
    CLIENT_GROUP_IN = "client_group_in", _("Client group is one the instrument is meant for")
    MIN_AGE = "min_age", _("Age at least N")
    MAX_AGE = "max_age", _("Age at most N")
    NOT_TOGETHER_WITH = "not_together_with", _("Not together with a running instrument")


class EligibilityRule(models.Model):
    """One condition for an instrument. A failed rule is a warning the consultant confirms with a
    reason; it never blocks and never passes silently."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=RuleKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("N for the kinds that need a number.")
    )
    # The instrument the rule is about: the one that must be completed (requires_instrument) or
    # the one that must not be running (not_together_with).
    required_instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("other instrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.CharField(
        _("message"),
        max_length=300,
        blank=True,
        help_text=_("Shown when the rule fails; empty for the standard message."),
    )

    class Meta:
        ordering = ["instrument", "id"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["requires_instrument", "not_together_with"])
                | Q(required_instrument__isnull=False),
                name="rule_requires_instrument_has_target",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["requires_instrument", "not_together_with", "client_group_in"]
                )
                | Q(number__isnull=False),
                name="rule_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument}: {self.get_kind_display()}"


class TrajectoryStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    ENDED_EARLY = "ended_early", _("Ended early")
    CONVERTED_TO_WORK = "converted_to_work", _("Converted into work")


class EarlyEndReason(models.TextChoices):
    DROPPED_OUT = "dropped_out", _("Client dropped out")
    ILLNESS = "illness", _("Illness")
    NOT_SUITABLE = "not_suitable", _("Instrument not suitable")
    MOVED = "moved", _("Client moved away")
    BENEFIT_ENDED = "benefit_ended", _("Benefit ended")
    BACK_ON_BENEFIT = "back_on_benefit", _("Client back on benefit")
    PROVIDER = "provider", _("Provider stopped")
    OTHER = "other", _("Other")


class Trajectory(models.Model):
    """A traject: one client's use of one instrument."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="trajectories")
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="+"
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The client's klantgroep when the traject started: the budget page counts it there.
    client_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"))
    cost = models.DecimalField(
        _("cost (€)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    goal = models.CharField(_("plan goal it serves"), max_length=300, blank=True)
    # The conversation in which the traject was agreed, when it was started from one.
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trajectories",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.RUNNING,
    )
    end_date = models.DateField(_("actual end date"), null=True, blank=True)
    early_end_reason = models.CharField(
        _("reason for ending early"), max_length=20, choices=EarlyEndReason.choices, blank=True
    )
    overridden_rules = models.TextField(_("eligibility warnings confirmed"), blank=True)
    override_reason = models.TextField(_("reason for starting despite the warnings"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_date__gte=models.F("start_date")),
                name="trajectory_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="running", end_date__isnull=True)
                | ~Q(status="running") & Q(end_date__isnull=False),
                name="trajectory_ended_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="ended_early") & ~Q(early_end_reason="")
                | ~Q(status="ended_early") & Q(early_end_reason=""),
                name="trajectory_early_end_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(overridden_rules="") | ~Q(override_reason=""),
                name="trajectory_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["client", "-start_date"], name="trajectory_client_idx")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.start_date}"

    @property
    def is_running(self) -> bool:
        return self.status == TrajectoryStatus.RUNNING


class Commitment(models.Model):
    """The part of a traject's cost that falls in one calendar month, on the instrument's budget
    line. A traject's rows sum exactly to its cost; ending early deletes the months after the end
    (released). Realised: the months up to today."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="commitments")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="commitments")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount (€)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["trajectory", "month"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "month"], name="one_commitment_a_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="commitment_month_first_day"),
        ]
        # The budget page sums per line and month range.
        indexes = [models.Index(fields=["line", "month"], name="commitment_line_month_idx")]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.month:%Y-%m} {self.amount}"


# Employer services -------------------------------------------------------------------------------
# Employers, their vacancies and the placements of clients, for the werkmakelaar. Whether a
# placement is durable is derived (instruments.employer_selectors), never stored.

validate_kvk_number = RegexValidator(
    r"^[0-9]{8}\Z",
    message=_("A KvK number is exactly 8 digits."),
    code="kvk_number",
)


class Sector(models.Model):
    """A kansrijke sector (zorg, techniek, logistiek, ...): policy data, loaded by migration 0003
    and maintained by the application manager."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Employer(models.Model):
    """A werkgever; municipality-wide, not tied to a team."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        validators=[validate_kvk_number],
        help_text=_("The 8 digits of the Chamber of Commerce registration."),
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="employers"
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_phone = models.CharField(_("contact person's phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact person's e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="employer_kvk_number_8_digits"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkProfile(models.Model):
    """What work a client is looking for: the sectors they are interested in and the hours a week
    they can work. Kept by the werkmakelaar on the dossier; the vacancy matching list reads it."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="work_profile")
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors of interest"), blank=True, related_name="+"
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week the client can work"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work profile")
        verbose_name_plural = _("work profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60),
                name="work_profile_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.hours_per_week}"


class VacancyLevel(models.TextChoices):
    BASIC = "basic", _("None or basic")
    MBO_1_2 = "mbo_1_2", _("MBO 1-2")
    MBO_3_4 = "mbo_3_4", _("MBO 3-4")
    HBO = "hbo", _("HBO or higher")


class Vacancy(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(_("title"), max_length=200)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    level = models.CharField(
        _("level"), max_length=10, choices=VacancyLevel.choices, default=VacancyLevel.BASIC
    )
    requirements = models.TextField(_("requirements"), blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    posted_on = models.DateField(_("posted on"), default=timezone.localdate)

    class Meta:
        ordering = ["-posted_on", "-id"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")

    def __str__(self) -> str:
        return f"{self.title} ({self.employer})"


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    PERMANENT = "permanent", _("Permanent contract")
    AGENCY = "agency", _("Temporary agency work")
    TRIAL = "trial", _("Trial placement (proefplaatsing)")


class Placement(models.Model):
    """A client at work with an employer. Made by instruments.placements.place_client."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="placements")
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("vacancy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    start_date = models.DateField(_("start date"))
    contract_type = models.CharField(
        _("contract type"), max_length=20, choices=ContractType.choices
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    with_wage_subsidy = models.BooleanField(_("with wage cost subsidy"), default=False)
    with_job_coaching = models.BooleanField(_("with job coaching"), default=False)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("start_date")),
                name="placement_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["client", "-start_date"], name="placement_client_idx")]

    def __str__(self) -> str:
        return f"{self.employer} {self.start_date}"
