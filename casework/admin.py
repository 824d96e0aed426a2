from typing import Any

from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import PolicySettings, Team, User
from casework.sudo import require_sudo

admin.site.site_header = _("Casework: application management")
admin.site.site_title = _("Casework application management")
admin.site.index_title = _("Policy settings, users and teams")


class ListEditableAdmin(admin.ModelAdmin):
    """A change list whose `list_editable` cells are named: Django renders them without a label,
    so each gets "<column>: <row>" as its accessible name (WCAG 1.3.1 and 4.1.2)."""

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[ModelForm]:
        form_class = super().get_changelist_form(request, **kwargs)

        class LabelledForm(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    field.widget.attrs["aria-label"] = f"{field.label}: {self.instance}"

        return LabelledForm


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class SudoChangeAdmin(admin.ModelAdmin):
    """Its change form is shown and saved only within SUDO_MINUTES of confirming it is you
    (casework.sudo)."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        return require_sudo(request) or super().change_view(
            request, object_id, form_url, extra_context
        )


@admin.register(User)
class UserAdmin(SudoChangeAdmin, DjangoUserAdmin):
    """Adding a user, changing one (role, team, rights) and setting their password: in sudo
    mode."""

    list_display = ["username", "first_name", "last_name", "role", "job_title", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Role in casework"), {"fields": ("role", "job_title", "team", "phone")}),
    )

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return require_sudo(request) or super().add_view(request, form_url, extra_context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        return require_sudo(request) or super().user_change_password(request, id, form_url)


@admin.register(PolicySettings)
class PolicySettingsAdmin(SudoChangeAdmin):
    """One row: it can be changed, not added or deleted. In sudo mode: the settings decide what
    the nightly jobs do (retention_years: which files are anonymised)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# --- Resetting two-factor authentication in sudo mode (issue 7; casework.sudo) ---
# django-otp registers the admins of the authenticator apps and recovery codes (keeping their
# secrets hidden: OTP_ADMIN_HIDE_SENSITIVE_DATA); these are the same, but deleting a user's devices
# (which resets their two-factor authentication) asks for sudo mode, one at a time and in bulk.


@admin.action(
    permissions=["delete"],
    description=django_delete_selected.short_description,  # type: ignore[attr-defined]
)
def delete_selected(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, queryset: "QuerySet[Any]"
) -> HttpResponse | None:
    """Django's "delete selected" action, in sudo mode. Named like it, so that it takes its
    place."""
    return require_sudo(request) or django_delete_selected(modeladmin, request, queryset)


class SudoDeleteAdmin(admin.ModelAdmin):
    actions = [delete_selected]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return require_sudo(request) or super().delete_view(request, object_id, extra_context)


# Imported above, django-otp's admin modules have registered theirs: replaced.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(TOTPDevice)
class SudoTOTPDeviceAdmin(SudoDeleteAdmin, TOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class SudoStaticDeviceAdmin(SudoDeleteAdmin, StaticDeviceAdmin):
    pass


# --- end two-factor authentication ---
