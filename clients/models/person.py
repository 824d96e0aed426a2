"""The client and the case: person, benefit periods, ladder measurements, klantgroepen.

Current values (klantgroep, ladder step, on benefit) are derived from the histories, never
written by the application: see clients.selectors. The current klantgroep and ladder step are
kept on the client by PostgreSQL itself (Client.current_group).
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Team
from clients.bsn import EncryptedBsnField, bsn_digest, mask_bsn, validate_bsn
from clients.models.policy import BarrierType, ClientGroup, LadderStep


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    OTHER = "x", _("Other")
    UNKNOWN = "u", _("Unknown")


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("Single")
    SINGLE_PARENT = "single_parent", _("Single parent")
    COUPLE = "couple", _("Couple without children")
    COUPLE_WITH_CHILDREN = "couple_children", _("Couple with children")
    OTHER = "other", _("Other")


class EducationLevel(models.TextChoices):
    NONE = "none", _("None or primary school")
    PRE_VOCATIONAL = "pre_vocational", _("VMBO or MBO level 1")
    VOCATIONAL = "vocational", _("MBO level 2 to 4")
    SECONDARY = "secondary", _("HAVO or VWO")
    HIGHER = "higher", _("HBO or university")


class Client(models.Model):
    # Encrypted at rest (Fernet, keys from the environment: see SALT_KEY in casework.settings), so
    # the database cannot compare it: look-ups go through bsn_hash. Empty once the client is
    # anonymised (see anonymised_at).
    bsn = EncryptedBsnField(_("BSN"), max_length=9, null=True, validators=[validate_bsn])
    # The keyed hash of the BSN (clients.bsn.bsn_digest), kept in step with it by save(); the
    # unique constraint is also the index of the exact look-up by BSN. NULL, not "", without a
    # BSN: anonymised clients would clash on "".
    bsn_hash = models.CharField(  # noqa: DJ001
        _("BSN look-up hash"),
        max_length=64,
        unique=True,
        null=True,
        editable=False,
        error_messages={"unique": _("A client with this BSN already exists.")},
    )
    first_name = models.CharField(_("first name"), max_length=100)
    surname_prefix = models.CharField(_("surname prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)

    street = models.CharField(_("street"), max_length=100, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    household_type = models.CharField(_("household"), max_length=20, choices=HouseholdType.choices)
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices
    )
    has_basic_qualification = models.BooleanField(_("has a basic qualification"), default=False)
    is_status_holder = models.BooleanField(_("status holder"), default=False)
    has_civic_integration_duty = models.BooleanField(_("civic integration duty"), default=False)
    in_target_group_register = models.BooleanField(_("in the target group register"), default=False)
    barriers = models.ManyToManyField(
        BarrierType, verbose_name=_("barriers"), blank=True, related_name="clients"
    )

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="clients"
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultants"),
        blank=True,
        related_name="caseload",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the retention period ended and the personal data was removed; the facts the
    # monitors count (benefit periods, ladder steps, klantgroepen, trajecten) stay.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    # The words of the name, for the name search (clients.selectors.search_clients): kept by
    # PostgreSQL itself, so it follows every write of the name (also anonymisation and COPY).
    # The 'simple' configuration lower-cases and keeps every word whole: no stemming, no stop
    # words ("van", "de" are words a consultant types).
    name_search = models.GeneratedField(
        expression=SearchVector("first_name", "surname_prefix", "last_name", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # The current klantgroep (of the open assignment) and ladder step (of the newest measurement),
    # for the caseload list, its filters, the API list and the export (clients.selectors.
    # with_current_status and filter_caseload). Read here rather than by a subquery per row and
    # per filter, the caseload list searched and filtered on a klantgroep served 16-18% more
    # requests a second at 100,000 clients (bench/compare.py). Derived from the histories by
    # PostgreSQL's triggers (migration 0010), on every write of a client or of its histories
    # (also COPY, bulk writes and deletes); whatever a save writes here is replaced. Not indexed:
    # the lists narrow by team, consultant or name first. DO_NOTHING: the histories' keys already
    # protect a klantgroep or step in use, and Django's check of these would list the clients by
    # name on the admin's delete page (the database's key still refuses a dangling one).
    current_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("current client group"),
        on_delete=models.DO_NOTHING,
        null=True,
        editable=False,
        db_index=False,
        related_name="+",
    )
    current_ladder_step = models.ForeignKey(
        LadderStep,
        verbose_name=_("current ladder step"),
        on_delete=models.DO_NOTHING,
        null=True,
        editable=False,
        db_index=False,
        related_name="+",
    )
    current_target_step = models.ForeignKey(
        LadderStep,
        verbose_name=_("current target step"),
        on_delete=models.DO_NOTHING,
        null=True,
        editable=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            # The caseload list: a team's clients in name order.
            models.Index(
                fields=["team", "last_name", "first_name", "id"], name="client_team_name_idx"
            ),
            # The name search (search_clients): the clients with a word starting with each typed
            # word, combined with the team by a bitmap AND; LIKE '%x%' read the whole team.
            GinIndex(fields=["name_search"], name="client_name_search_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The hash follows the BSN whenever the BSN is written (also when it becomes None).
        update_fields = kwargs.get("update_fields")
        if update_fields is None and "bsn" not in self.get_deferred_fields():
            self.sync_bsn_hash()
        elif update_fields is not None and "bsn" in update_fields:
            self.sync_bsn_hash()
            kwargs["update_fields"] = {*update_fields, "bsn_hash"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before validate_unique, so that full_clean refuses a BSN another client has.
        super().clean()
        self.sync_bsn_hash()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.surname_prefix, self.last_name) if p)

    def sync_bsn_hash(self) -> None:
        self.bsn_hash = bsn_digest(self.bsn) if self.bsn else None

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)

    def age_on(self, day: datetime.date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class BenefitScheme(models.TextChoices):
    PW = "pw", _("Participation Act (PW)")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    BBZ = "bbz", _("Bbz (self-employed)")


class OutflowReason(models.TextChoices):
    WORK = "work", _("Work")
    OWN_BUSINESS = "own_business", _("Own business")
    STUDY = "study", _("Study")
    MOVED = "moved", _("Moved away")
    OTHER = "other", _("Other")


class BenefitPeriod(models.Model):
    """A period on benefit: start is instroom, end is uitstroom with a reason."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="benefit_periods")
    scheme = models.CharField(_("scheme"), max_length=10, choices=BenefitScheme.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=OutflowReason.choices, blank=True
    )
    partner = models.ForeignKey(
        Client,
        verbose_name=_("partner on the same benefit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("benefit period")
        verbose_name_plural = _("benefit periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="benefit_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | Q(end_date__isnull=False) & ~Q(end_reason=""),
                name="benefit_end_has_reason",
            ),
            # At most one open benefit period per client.
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_date__isnull=True), name="one_open_benefit"
            ),
        ]
        indexes = [models.Index(fields=["client", "-start_date"], name="benefit_client_idx")]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.start_date} - {self.end_date or ''}"


class LadderMeasurement(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ladder_measurements")
    measured_on = models.DateField(_("date"))
    step = models.ForeignKey(
        LadderStep, verbose_name=_("current step"), on_delete=models.PROTECT, related_name="+"
    )
    target_step = models.ForeignKey(
        LadderStep, verbose_name=_("target step"), on_delete=models.PROTECT, related_name="+"
    )
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("measured by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    conversation = models.ForeignKey(
        "clients.Conversation",
        verbose_name=_("conversation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-measured_on", "-id"]
        verbose_name = _("ladder measurement")
        verbose_name_plural = _("ladder measurements")
        indexes = [
            # The current step: the newest measurement per client. With the steps, so that the
            # monitor's ladder_climbed (the steps per client on two days:
            # monitoring.indicators.development) reads them from the index alone.
            models.Index(
                fields=["client", "-measured_on", "-id"],
                include=["step", "target_step"],
                name="ladder_client_idx",
            ),
            # The clients measured in a window of days (the monitor's inactive_clients,
            # monitoring.indicators.know_our_clients): an index-only range scan.
            models.Index(fields=["measured_on"], include=["client"], name="ladder_measured_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.measured_on}: {self.step.number} → {self.target_step.number}"


class ClientGroupAssignment(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="group_assignments")
    group = models.ForeignKey(
        ClientGroup, verbose_name=_("client group"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    chosen_by_client = models.BooleanField(_("chosen by the client"), default=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    conversation = models.ForeignKey(
        "clients.Conversation",
        verbose_name=_("conversation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("client group assignment")
        verbose_name_plural = _("client group assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="group_ends_after_start",
            ),
            # The current group is the one open assignment.
            models.UniqueConstraint(
                fields=["client"], condition=Q(end_date__isnull=True), name="one_current_group"
            ),
        ]
        indexes = [
            # A client's klantgroepen, newest first (the dossier, the work queue), and the
            # klantgroep on a day, once per client of the bestand (the monitor's
            # monitoring.indicators.caseload.group_on): the newest assignment started by the day
            # that has not ended before it, read from the index alone, in its order.
            models.Index(
                fields=["client", "-start_date", "-id"],
                include=["end_date", "group"],
                name="group_on_day_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.start_date} - {self.end_date or ''}"
