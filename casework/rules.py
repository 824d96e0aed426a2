"""Role predicates and the permissions they grant (django-rules)."""

import rules

from casework.models import Role


@rules.predicate
def is_consultant(user) -> bool:
    return user.is_authenticated and user.role == Role.CONSULTANT


@rules.predicate
def is_manager(user) -> bool:
    return user.is_authenticated and user.role == Role.MANAGER


@rules.predicate
def is_policy_officer(user) -> bool:
    return user.is_authenticated and user.role == Role.POLICY


@rules.predicate
def is_application_manager(user) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


# Roles that work with individual clients; policy staff see aggregates only.
can_see_persons = is_consultant | is_manager

# /beheer/ lists an app's models only to whoever has the app's module permission.
for _app_label in (
    "casework",
    "clients",
    "instruments",
    "monitoring",
    "axes",
    "otp_totp",
    "otp_static",
):
    rules.add_perm(_app_label, is_application_manager)
rules.add_perm("casework.view_team", is_application_manager)
rules.add_perm("casework.add_team", is_application_manager)
rules.add_perm("casework.change_team", is_application_manager)
rules.add_perm("casework.view_user", is_application_manager)
rules.add_perm("casework.add_user", is_application_manager)
rules.add_perm("casework.change_user", is_application_manager)
rules.add_perm("casework.view_policysettings", is_application_manager)
rules.add_perm("casework.change_policysettings", is_application_manager)
# Log-in security (django-axes' admin in /beheer/): the application manager sees failed and
# successful log-ins and unlocks an account by deleting its failed attempts.
for _model in ("accessattempt", "accesslog", "accessfailurelog"):
    rules.add_perm(f"axes.view_{_model}", is_application_manager)
rules.add_perm("axes.delete_accessattempt", is_application_manager)
# Two-factor authentication (django-otp's admin in /beheer/): the application manager resets a
# user's two-factor authentication by deleting their authenticator app and recovery codes; secrets
# stay hidden there (OTP_ADMIN_HIDE_SENSITIVE_DATA), and nobody adds or changes a device there.
for _app_label, _model in (("otp_totp", "totpdevice"), ("otp_static", "staticdevice")):
    rules.add_perm(f"{_app_label}.view_{_model}", is_application_manager)
    rules.add_perm(f"{_app_label}.delete_{_model}", is_application_manager)
