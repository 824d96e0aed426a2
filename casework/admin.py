from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework.models import PolicySettings, Team, User

admin.site.site_header = _("Casework: application management")
admin.site.site_title = _("Casework application management")
admin.site.index_title = _("Policy settings, users and teams")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "job_title", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role in casework"), {"fields": ("role", "job_title", "team", "phone")}),
    )


@admin.register(PolicySettings)
class PolicySettingsAdmin(admin.ModelAdmin):
    """One row: it can be changed, not added or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
