"""The expected answers of tests/casework/test_url_matrix.py: for every URL pattern of the
project, what a GET by each role gets, against a client of team A (client_a) and the objects
around it (its conversation, plan, agreement, meeting, traject, placement; an employer and its
vacancy; a monitor; consultant_a's notification and API token).

How to add a row for a new URL: add one line to EXPECTED, keyed by the URL's full name
("namespace:name"; a pattern without a name by its route, as the failure message shows), with
the six answers in ROLES order. Run the test first: test_every_url_has_an_expectation prints
what each role gets now, but copy an answer only after checking it is right; a wrong answer
goes in KNOWN_WRONG (below) with the right answer in the row. If the URL has a `pk`, say which
object it is in PK_OBJECTS in test_url_matrix.py. A POST-only URL answers 405 to a GET for the
roles that may use it; add a POST_EXPECTED line for the roles that must be refused.
A new model in /beheer/: one ADMIN_MODELS line with what the application manager may do on it.

Answers: an HTTP status, or a redirect to a page that stops the request: LOGIN (the log-in
page), ADMIN_LOGIN (/beheer/'s), SUDO (sudo mode's confirmation), TWO_FACTOR (the two-factor code
or set-up page), each with ?next=. A 302 is a redirect elsewhere (e.g. to the current year).
"""

ROLES = (
    "consultant_a",  # consultant of team A, client_a is in their caseload
    "consultant_b",  # consultant of team B: client_a's things are a 404
    "manager_a",  # teamleider of team A: reads the team's clients, changes nothing of them
    "policy_officer",  # beleidsmedewerker: aggregates only; persons are a 403
    "application_manager",  # functioneel beheerder: /beheer/, no persons in the app
    "anonymous",
)
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
SUDO = "sudo"  # a redirect to the confirmation page of sudo mode (casework.sudo), ?next=...
TWO_FACTOR = "two-factor"  # a redirect to the two-factor code or set-up page, ?next=...
A = ADMIN_LOGIN  # keeps the /beheer/ lines short

# fmt: off
# Role order:       consultant_a, consultant_b, manager_a, policy_officer, application_manager,
#                   anonymous
EXPECTED: dict[str, tuple[int | str, ...]] = {
    # Monitoring: aggregates for the team leader, policy staff and the application manager.
    "home": (200, 200, 200, 200, 200, LOGIN),
    "dashboard": (403, 403, 200, 200, 200, LOGIN),
    "monitor-list": (403, 403, 200, 200, 200, LOGIN),
    "monitor-request": (403, 403, 403, 405, 403, LOGIN),
    "monitor-detail": (403, 403, 200, 200, 200, LOGIN),
    "monitor-status": (403, 403, 200, 200, 200, LOGIN),
    "monitor-rebuild": (403, 403, 403, 405, 403, LOGIN),
    "monitor-download": (403, 403, 200, 200, 200, LOGIN),
    # Persons: consultants (change) and the team leader (read); client_a's things are a 404 for
    # consultant_b. 405: POST only, the role may post (POST_EXPECTED has the refused roles).
    "clients:list": (200, 200, 200, 403, 403, LOGIN),
    "clients:search-clear": (405, 405, 405, 403, 403, LOGIN),
    "clients:create": (200, 200, 403, 403, 403, LOGIN),
    "clients:export": (SUDO, SUDO, SUDO, 403, 403, LOGIN),  # re-authenticate first
    "clients:detail": (200, 404, 200, 403, 403, LOGIN),
    "clients:bsn-show": (405, 405, 405, 403, 403, LOGIN),  # POST only; each show is logged
    # Deleting a client registered in error: the team leader of its team, after sudo mode.
    "clients:delete": (403, 403, SUDO, 403, 403, LOGIN),
    "clients:update": (200, 404, 403, 403, 403, LOGIN),
    "clients:import": (403, 403, 403, 403, 200, LOGIN),
    "clients:import-template": (403, 403, 403, 403, 200, LOGIN),
    "conversations:create": (200, 404, 403, 403, 403, LOGIN),
    "conversations:detail": (200, 404, 200, 403, 403, LOGIN),
    "conversations:update": (200, 404, 403, 403, 403, LOGIN),
    "conversations:addendum": (405, 405, 403, 403, 403, LOGIN),
    "plans:detail": (200, 404, 200, 403, 403, LOGIN),
    "plans:version": (200, 404, 200, 403, 403, LOGIN),
    "plans:create": (200, 404, 403, 403, 403, LOGIN),
    "plans:update": (200, 404, 403, 403, 403, LOGIN),
    "plans:signatures": (405, 405, 403, 403, 403, LOGIN),
    "plans:agreement-status": (405, 405, 403, 403, 403, LOGIN),
    "plans:pdf": (200, 404, 200, 403, 403, LOGIN),
    "meetings:list": (200, 200, 200, 403, 403, LOGIN),
    "meetings:create": (200, 200, 403, 403, 403, LOGIN),
    "meetings:detail": (200, 404, 200, 403, 403, LOGIN),
    "meetings:update": (200, 404, 403, 403, 403, LOGIN),
    "meetings:invite": (200, 404, 403, 403, 403, LOGIN),
    "meetings:invite-search": (405, 405, 403, 403, 403, LOGIN),
    "meetings:invite-client": (405, 405, 403, 403, 403, LOGIN),
    "workqueue:index": (200, 200, 200, 403, 403, LOGIN),
    # Privacy: the functioneel beheerder searches the access log and answers inzageverzoeken;
    # the export and the inzage (a whole dossier) after sudo mode.
    "privacy:access-log": (403, 403, 403, 403, 200, LOGIN),
    "privacy:access-log-export": (403, 403, 403, 403, SUDO, LOGIN),
    "privacy:subject-access": (403, 403, 403, 403, SUDO, LOGIN),
    # Budgets are aggregates; employers and vacancies are no persons: every consultant.
    "instruments:budget-current": (403, 403, 302, 302, 302, LOGIN),
    "instruments:budget": (403, 403, 200, 200, 200, LOGIN),
    "instruments:trajectory-start": (200, 404, 403, 403, 403, LOGIN),
    "instruments:trajectory-end": (200, 404, 403, 403, 403, LOGIN),
    "instruments:employer-list": (200, 200, 200, 403, 403, LOGIN),
    "instruments:employer-create": (200, 200, 403, 403, 403, LOGIN),
    "instruments:employer-detail": (200, 200, 200, 403, 403, LOGIN),
    "instruments:vacancy-create": (405, 405, 403, 403, 403, LOGIN),
    "instruments:vacancy-candidates": (200, 200, 200, 403, 403, LOGIN),
    "instruments:work-profile": (200, 404, 403, 403, 403, LOGIN),
    "instruments:placement-create": (200, 404, 403, 403, 403, LOGIN),
    "instruments:placement-end": (200, 404, 403, 403, 403, LOGIN),
    # The API: the same scoping; anonymous gets 401 (token or session authentication).
    "api:clients-list": (200, 200, 200, 403, 403, 401),
    "api:clients-search": (405, 405, 405, 403, 403, 401),
    "api:clients-detail": (200, 404, 200, 403, 403, 401),
    "api:benefit-periods-list": (200, 200, 200, 403, 403, 401),
    "api:benefit-periods-detail": (200, 404, 200, 403, 403, 401),
    "api:ladder-measurements-list": (200, 200, 200, 403, 403, 401),
    "api:ladder-measurements-detail": (200, 404, 200, 403, 403, 401),
    "api:group-assignments-list": (200, 200, 200, 403, 403, 401),
    "api:group-assignments-detail": (200, 404, 200, 403, 403, 401),
    "api:plans-list": (200, 200, 200, 403, 403, 401),
    "api:plans-detail": (200, 404, 200, 403, 403, 401),
    "api:agreements-list": (200, 200, 200, 403, 403, 401),
    "api:agreements-detail": (200, 404, 200, 403, 403, 401),
    "api:conversations-list": (200, 200, 200, 403, 403, 401),
    "api:conversations-detail": (200, 404, 200, 403, 403, 401),
    "api:employers-list": (200, 200, 200, 403, 403, 401),
    "api:employers-detail": (200, 200, 200, 403, 403, 401),
    "api:vacancies-list": (200, 200, 200, 403, 403, 401),
    "api:vacancies-detail": (200, 200, 200, 403, 403, 401),
    "api:placements-list": (200, 200, 200, 403, 403, 401),
    "api:placements-detail": (200, 404, 200, 403, 403, 401),
    "api:indicators-list": (403, 403, 200, 200, 200, 401),
    "api:indicators-detail": (403, 403, 200, 200, 200, 401),
    "api:instruments-list": (200, 200, 200, 200, 200, 401),
    "api:instruments-detail": (200, 200, 200, 200, 200, 401),
    "api:trajectories-list": (200, 200, 200, 403, 403, 401),
    "api:trajectories-detail": (200, 404, 200, 403, 403, 401),
    "api:trajectories-end": (405, 405, 405, 403, 403, 401),
    "api:budget-lines-list": (403, 403, 200, 200, 200, 401),
    "api:budget-lines-total": (403, 403, 200, 200, 200, 401),
    "api:budget-lines-detail": (403, 403, 200, 200, 200, 401),
    "api/^v1/": (404, 404, 404, 404, 404, 404),
    "api:schema": (200, 200, 200, 200, 200, 401),
    "api:docs": (200, 200, 200, 200, 200, 401),
    # The account, log-in and language.
    "profile": (200, 200, 200, 200, 200, LOGIN),
    "token-create": (405, 405, 405, 405, 405, LOGIN),  # POST only, in sudo mode
    "token-revoke": (405, 405, 405, 405, 405, LOGIN),
    "logout-everywhere": (405, 405, 405, 405, 405, LOGIN),
    "login": (302, 302, 302, 302, 302, 200),
    "sudo": (200, 200, 200, 200, 200, LOGIN),
    # Two-factor authentication (off in the tests: no app set up, so on to `next`).
    "login-verify": (302, 302, 302, 302, 302, LOGIN),
    "two-factor-setup": (200, 200, 200, 200, 200, LOGIN),
    "two-factor-recovery-codes": (405, 405, 405, 405, 405, LOGIN),
    "two-factor-off": (405, 405, 405, 405, 405, LOGIN),
    "logout": (405, 405, 405, 405, 405, LOGIN),
    "notifications": (200, 200, 200, 200, 200, LOGIN),
    "notifications-read": (405, 405, 405, 405, 405, LOGIN),
    "set_language": (302, 302, 302, 302, 302, 302),  # to `next`, also before log-in
    # /beheer/ itself; the ModelAdmins' URLs follow ADMIN_KINDS and ADMIN_MODELS below.
    "admin:index": (A, A, A, A, 200, A),
    "admin:login": (200, 200, 200, 200, 302, 200),
    "admin:logout": (302, 302, 302, 302, 405, A),
    "admin:password_change": (A, A, A, A, 200, A),
    "admin:password_change_done": (A, A, A, A, 200, A),
    "admin:autocomplete": (A, A, A, A, 403, A),
    # /beheer/<app_label>/ with app_label=casework.
    "admin:app_list": (A, A, A, A, 200, A),
    "admin:jsi18n": (A, A, A, A, 200, A),
    "admin:view_on_site": (A, A, A, A, 404, A),
    "beheer/(?P<url>.*)$": (A, A, A, A, 404, A),
    # Overrides of the /beheer/ rules below for one URL: changing users asks for sudo mode.
    "beheer[casework.user]:add": (A, A, A, A, SUDO, LOGIN),
    "beheer[casework.user]:change": (A, A, A, A, SUDO, LOGIN),
    "beheer[casework.user]:user_change_password": (A, A, A, A, SUDO, LOGIN),
    # The policy settings (retention_years decides what the nightly job anonymises), and deleting
    # a user's two-factor devices (resetting it): sudo mode too.
    "beheer[casework.policysettings]:change": (A, A, A, A, SUDO, LOGIN),
    "beheer[otp_totp.totpdevice]:delete": (A, A, A, A, SUDO, LOGIN),
    "beheer[otp_static.staticdevice]:delete": (A, A, A, A, SUDO, LOGIN),
    "health": (200, 200, 200, 200, 200, 200),
    # Unhealthy in the tests: its check reads the heartbeat in a thread of its own, outside the
    # test's transaction, and finds none (django-health-check answers 500 then).
    "health-celery": (500, 500, 500, 500, 500, 500),
}
# fmt: on

# POST without a valid body, by the roles that must be refused (None: not tried, the role may
# do it). Nothing may change (the test checks the SQL).
# fmt: off
POST_EXPECTED: dict[str, tuple[int | str | None, ...]] = {
    "clients:list": (None, None, None, 403, 403, LOGIN),
    "clients:search-clear": (None, None, None, 403, 403, LOGIN),
    "clients:create": (None, None, 403, 403, 403, LOGIN),
    "clients:update": (None, 404, 403, 403, 403, LOGIN),
    "clients:bsn-show": (None, 404, None, 403, 403, LOGIN),
    "clients:delete": (403, 403, SUDO, 403, 403, LOGIN),
    "clients:import": (403, 403, 403, 403, None, LOGIN),
    "privacy:access-log": (403, 403, 403, 403, None, LOGIN),
    "privacy:subject-access": (403, 403, 403, 403, None, LOGIN),
    "conversations:create": (None, 404, 403, 403, 403, LOGIN),
    "conversations:update": (None, 404, 403, 403, 403, LOGIN),
    "conversations:addendum": (None, 404, 403, 403, 403, LOGIN),
    "plans:create": (None, 404, 403, 403, 403, LOGIN),
    "plans:update": (None, 404, 403, 403, 403, LOGIN),
    "plans:signatures": (None, 404, 403, 403, 403, LOGIN),
    "plans:agreement-status": (None, 404, 403, 403, 403, LOGIN),
    "meetings:create": (None, None, 403, 403, 403, LOGIN),
    "meetings:detail": (None, 404, 403, 403, 403, LOGIN),  # attendance: consultants
    "meetings:update": (None, 404, 403, 403, 403, LOGIN),
    "meetings:invite": (None, 404, 403, 403, 403, LOGIN),
    "meetings:invite-search": (None, 404, 403, 403, 403, LOGIN),
    "meetings:invite-client": (None, 404, 403, 403, 403, LOGIN),
    "monitor-request": (403, 403, 403, None, 403, LOGIN),
    "monitor-rebuild": (403, 403, 403, None, 403, LOGIN),
    "instruments:trajectory-start": (None, 404, 403, 403, 403, LOGIN),
    "instruments:trajectory-end": (None, 404, 403, 403, 403, LOGIN),
    "instruments:employer-create": (None, None, 403, 403, 403, LOGIN),
    "instruments:vacancy-create": (None, None, 403, 403, 403, LOGIN),
    "instruments:work-profile": (None, 404, 403, 403, 403, LOGIN),
    "instruments:placement-create": (None, 404, 403, 403, 403, LOGIN),
    "instruments:placement-end": (None, 404, 403, 403, 403, LOGIN),
    "profile": (405, 405, 405, 405, 405, LOGIN),  # tokens are made at token-create
    # An API token reads persons without a second factor: sudo mode first.
    "token-create": (SUDO, SUDO, SUDO, SUDO, SUDO, LOGIN),
    "token-revoke": (None, 404, 404, 404, 404, LOGIN),
    # New recovery codes, switching two-factor authentication off (allowed in the tests): sudo
    # mode first.
    "two-factor-recovery-codes": (SUDO, SUDO, SUDO, SUDO, SUDO, LOGIN),
    "two-factor-off": (SUDO, SUDO, SUDO, SUDO, SUDO, LOGIN),
    "logout-everywhere": (None, None, None, None, None, LOGIN),
    "notifications-read": (None, None, None, None, None, LOGIN),
    # The language switch of every page, the log-in page too: anonymous may use it.
    "set_language": (None, None, None, None, None, 302),
    "api:clients-search": (None, None, None, 403, 403, 401),
    "api:conversations-list": (None, None, 403, 403, 403, 401),
    "api:trajectories-list": (None, None, 403, 403, 403, 401),
    "api:trajectories-end": (None, 404, 403, 403, 403, 401),
    "api:employers-list": (None, None, 403, 403, 403, 401),
}
# fmt: on

# /beheer/ (Django admin): one rule per kind of ModelAdmin URL, tried for every registered model.
# kind: (what the application manager needs on the model for it, the answers of the other five
# roles in ROLES order without the application manager, the application manager's answer if
# allowed, and if not).
ADMIN_KINDS: dict[str, tuple[str, tuple[int | str, ...], int | str, int | str]] = {
    "changelist": ("view", (A, A, A, A, LOGIN), 200, 403),
    "add": ("add", (A, A, A, A, LOGIN), 200, 403),
    "change": ("view", (A, A, A, A, LOGIN), 200, 403),  # read-only with only "view"
    "history": ("view", (A, A, A, A, LOGIN), 200, 403),
    "delete": ("delete", (A, A, A, A, LOGIN), 200, 403),
    # <object_id>/ redirects to .../change/, which decides.
    "object-redirect": ("view", (A, A, A, A, LOGIN), 302, 302),
    "user_change_password": ("change", (A, A, A, A, LOGIN), 200, 403),
    # django-otp's key and QR code of an authenticator app: nobody (OTP_ADMIN_HIDE_SENSITIVE_DATA;
    # no model grants "secret").
    "config": ("secret", (A, A, A, A, LOGIN), 403, 403),
    "qrcode": ("secret", (A, A, A, A, LOGIN), 403, 403),
}

# What the application manager may do per model in /beheer/ (casework/rules.py and the apps'
# rules.py): the actions "view add change delete" it has.
ADMIN_MODELS: dict[str, str] = {
    "auth.group": "",  # registered by django.contrib.auth; unused (roles are User.role)
    "axes.accessattempt": "view delete",  # unlock an account
    "axes.accesslog": "view",
    "axes.accessfailurelog": "view",
    "casework.team": "view add change",
    "casework.user": "view add change",
    "casework.policysettings": "view change",  # a singleton
    "clients.clientgroup": "view add change",
    "clients.ladderstep": "view add change",
    "clients.barriertype": "view add change",
    "clients.lifedomain": "view add change",
    "clients.screeningquestion": "view add change",
    "clients.partner": "view add change",
    "instruments.instrument": "view add change",
    "instruments.provider": "view add change",
    "instruments.budgetline": "view add change",
    "instruments.budget": "view add change",
    "instruments.allocation": "view add change",
    "instruments.budgetchange": "view",  # the change log is read-only
    "instruments.sector": "view add change",
    "instruments.employer": "view change",
    "instruments.vacancy": "view change",
    "instruments.placement": "view change",
    "monitoring.target": "view add change delete",
    # Reset a user's two-factor authentication.
    "otp_totp.totpdevice": "view delete",
    "otp_static.staticdevice": "view delete",
}

# Answers that are wrong today, for the lead to fix: (method, key, role) -> what is wrong. The
# case is an expected failure (strict: once fixed it fails until its line here is removed); the
# row above holds the right answer.
KNOWN_WRONG: dict[tuple[str, str, str], str] = {}
