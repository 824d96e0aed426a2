"""Policy as data, maintained by the application manager. Clients themselves are not in the
admin: every read of a person goes through the audited pages."""

from django.contrib import admin

from casework.admin import ListEditableAdmin
from clients.models import (
    BarrierType,
    ClientGroup,
    LadderStep,
    LifeDomain,
    Partner,
    ScreeningQuestion,
)


@admin.register(ClientGroup)
class ClientGroupAdmin(ListEditableAdmin):
    list_display = [
        "name",
        "code",
        "progress_conversations_per_year",
        "legal_review_interval_months",
        "requires_plan",
        "directing_organisation",
        "offered_vacancies",
        "position",
        "is_active",
    ]
    list_editable = ["position", "is_active"]


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(BarrierType)
class BarrierTypeAdmin(ListEditableAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]


@admin.register(LifeDomain)
class LifeDomainAdmin(ListEditableAdmin):
    list_display = ["name", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(ScreeningQuestion)
class ScreeningQuestionAdmin(ListEditableAdmin):
    list_display = ["text", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Partner)
class PartnerAdmin(ListEditableAdmin):
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]
