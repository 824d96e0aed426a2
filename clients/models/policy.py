"""Policy as data: klantgroepen, the participatieladder and other lists the application manager
maintains. Loaded with the Deventer defaults by data migrations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClientGroup(models.Model):
    """A klantgroep (segment): decides the service and the conversation rhythm. Policy data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("who belongs here"), blank=True)
    criteria = models.TextField(
        _("default criteria"),
        blank=True,
        help_text=_("A warning, never a block: the client chooses."),
    )
    service = models.TextField(_("service"), blank=True)
    progress_conversations_per_year = models.PositiveSmallIntegerField(
        _("progress conversations per year"),
        default=0,
        help_text=_("0 means no periodic progress conversation."),
    )
    legal_review_interval_months = models.PositiveSmallIntegerField(
        _("legality review interval (months)"),
        null=True,
        blank=True,
        help_text=_("Empty when legality is checked within the regular conversations."),
    )
    requires_plan = models.BooleanField(
        _("plan required"),
        default=False,
        help_text=_("Every client in this group needs a current plan."),
    )
    directing_organisation = models.CharField(
        _("directing organisation"), max_length=100, blank=True
    )
    offered_vacancies = models.BooleanField(
        _("offered vacancies"),
        default=False,
        help_text=_("Clients in this group appear in the werkmakelaar's vacancy matching list."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("client group")
        verbose_name_plural = _("client groups")

    def __str__(self) -> str:
        return self.name


class LadderStep(models.Model):
    """A step of the participatieladder (the national six by default; configurable)."""

    number = models.PositiveSmallIntegerField(_("step"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class BarrierType(models.Model):
    """A kind of barrier to work or participation (medical, debts, childcare, ...). Policy data."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("barrier type")
        verbose_name_plural = _("barrier types")

    def __str__(self) -> str:
        return self.name


class LifeDomain(models.Model):
    """A leefgebied scored 1-5 on self-reliance in the ambitiegesprek (work, income, debts, ...)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")

    def __str__(self) -> str:
        return self.name


class ScreeningQuestion(models.Model):
    """A question of the poortwachter's screening checklist."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    text = models.CharField(_("question"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "text"]
        verbose_name = _("screening question")
        verbose_name_plural = _("screening questions")

    def __str__(self) -> str:
        return self.text


class Partner(models.Model):
    """An organisation a client can be referred to (debt counselling, neighbourhood team, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self) -> str:
        return self.name
