"""Policy as data, maintained by the application manager. Clients themselves are not in the
admin: every read of a person goes through the audited pages."""

from django.contrib import admin

from clients.models import BarrierType, ClientGroup, LadderStep


@admin.register(ClientGroup)
class ClientGroupAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "progress_conversations_per_year",
        "legal_review_interval_months",
        "directing_organisation",
        "position",
        "is_active",
    ]
    list_editable = ["position", "is_active"]


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]


@admin.register(BarrierType)
class BarrierTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]
