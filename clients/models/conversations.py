"""Conversations (gesprekken) with a client, their domain scores, agreement reviews and addenda.

A conversation is saved as a draft and completed later; completing it applies its consequences
(klantgroep change, ladder measurement, agreement updates) in one transaction, see
clients.conversations.services. A completed conversation is read-only except for addenda.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models.person import Client
from clients.models.policy import ClientGroup, LadderStep, LifeDomain, Partner, ScreeningQuestion


class ConversationKind(models.TextChoices):
    SCREENING = "screening", _("Screening conversation")
    AMBITION = "ambition", _("Ambition conversation")
    PROGRESS = "progress", _("Progress conversation")
    LEGALITY_REVIEW = "legality_review", _("Legality review")
    COACHING = "coaching", _("Work coach contact")
    AFTERCARE = "aftercare", _("Aftercare contact")


class ConversationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class Location(models.TextChoices):
    OFFICE = "office", _("At the office")
    HOME = "home", _("At home, with consent")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")


class LegalityJudgement(models.TextChoices):
    PLAUSIBLE = "plausible", _("Entitlement plausible")
    DOUBT = "doubt", _("Doubts, to be investigated")
    NOT_ENTITLED = "not_entitled", _("No entitlement")


class UrgentNeed(models.TextChoices):
    NONE = "none", _("No urgent need")
    NO_MONEY_FOR_FOOD = "no_food_money", _("No money for food")
    EVICTION = "eviction", _("Threatened eviction")
    OTHER = "other", _("Other urgent need")


class ScreeningOutcome(models.TextChoices):
    NO_ENTITLEMENT = "no_entitlement", _("No entitlement")
    REFERRED = "referred", _("Referred to a partner")
    AMBITION_PLANNED = "ambition_planned", _("Ambition conversation planned")


class Conversation(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(_("kind"), max_length=20, choices=ConversationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.DRAFT,
    )
    held_on = models.DateField(_("date"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consultant"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("location"), max_length=10, choices=Location.choices, blank=True)
    notes = models.TextField(_("report"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Screening (poortwachter)
    checklist = models.ManyToManyField(
        ScreeningQuestion, verbose_name=_("checklist: confirmed"), blank=True, related_name="+"
    )
    legality_judgement = models.CharField(
        _("legality"), max_length=20, choices=LegalityJudgement.choices, blank=True
    )
    urgent_need = models.CharField(
        _("urgent need"), max_length=20, choices=UrgentNeed.choices, blank=True
    )
    urgent_action = models.TextField(_("action taken on the urgent need"), blank=True)
    referred_to = models.ManyToManyField(
        Partner, verbose_name=_("referred to"), blank=True, related_name="+"
    )
    screening_outcome = models.CharField(
        _("outcome"), max_length=20, choices=ScreeningOutcome.choices, blank=True
    )

    # Ambition conversation (intaker)
    ambition = models.TextField(_("the client's ambition, in their own words"), blank=True)
    preferred_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group the client prefers"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    advised_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group the consultant advises"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    rights_and_duties_explained = models.BooleanField(
        _("rights and duties explained"), null=True, blank=True
    )
    kickoff = models.ForeignKey(
        "clients.Meeting",
        verbose_name=_("invite to kick-off meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # Progress conversation
    wellbeing = models.TextField(_("stress and wellbeing"), blank=True)
    living_situation = models.TextField(_("living and income situation"), blank=True)
    minima_discussed = models.BooleanField(_("minimum income schemes discussed"), default=False)
    debts_discussed = models.BooleanField(_("debts discussed"), default=False)
    legality_checked = models.BooleanField(_("legality checked"), default=False)
    group_still_right = models.BooleanField(
        _("still the right client group"), null=True, blank=True
    )

    # Consequences, applied on completion (ambition and progress conversations)
    new_group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group from now on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    group_change_reason = models.TextField(_("reason for the client group"), blank=True)
    chosen_by_client = models.BooleanField(_("chosen together with the client"), default=True)
    ladder_step = models.ForeignKey(
        LadderStep,
        verbose_name=_("current ladder step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ladder_target = models.ForeignKey(
        LadderStep,
        verbose_name=_("target ladder step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ConversationStatus.DRAFT)
                | Q(status=ConversationStatus.COMPLETED, completed_at__isnull=False),
                name="conversation_completed_has_time",
            ),
            # A step and its target come together.
            models.CheckConstraint(
                condition=Q(ladder_step__isnull=True, ladder_target__isnull=True)
                | Q(ladder_step__isnull=False, ladder_target__isnull=False),
                name="conversation_ladder_pair",
            ),
        ]
        indexes = [
            # The dossier's list, and the last conversation of a kind (work queue due dates).
            models.Index(
                fields=["client", "kind", "status", "-held_on"], name="conversation_client_idx"
            ),
            # The last completed progress or ambition conversation per client up to a day (the
            # monitor's progress_conversations_on_time, monitoring.indicators.know_our_clients):
            # the first entry of the client's range, without sorting.
            models.Index(
                fields=["client", "-held_on"],
                condition=Q(
                    status=ConversationStatus.COMPLETED,
                    kind__in=[ConversationKind.PROGRESS, ConversationKind.AMBITION],
                ),
                name="conversation_progress_idx",
            ),
            # The clients with a completed conversation in a window of days (the monitor's
            # inactive_clients, monitoring.indicators.know_our_clients): an index-only range scan.
            models.Index(
                fields=["held_on"],
                include=["client"],
                condition=Q(status=ConversationStatus.COMPLETED),
                name="conversation_held_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def is_completed(self) -> bool:
        return self.status == ConversationStatus.COMPLETED


class DomainScore(models.Model):
    """Self-reliance on one life domain, 1 (not at all) to 5 (fully), in one conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="domain_scores"
    )
    domain = models.ForeignKey(
        LifeDomain, verbose_name=_("life domain"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["domain__position"]
        verbose_name = _("domain score")
        verbose_name_plural = _("domain scores")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "domain"], name="one_score_per_domain"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"


class ConversationAddendum(models.Model):
    """A later addition to a completed conversation: the conversation itself stays as it was."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    text = models.TextField(_("addendum"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"{self.conversation} + {self.created_at:%Y-%m-%d}"
