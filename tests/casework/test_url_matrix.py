"""Deny by default: every URL pattern of the project, requested by every role, against a client
of team A and the things around it, gives the answer tests/casework/url_matrix.py expects.

The URL patterns are walked from the resolver, so a new URL without a row in the table fails
(test_every_url_has_an_expectation names it, with what each role gets now), and so does a row
whose URL is gone (test_no_stale_expectations). One case per URL asks as every role and names
each role whose answer is wrong. Besides the status: a GET changes nothing but the access log and
the session (the SQL it ran is read), client_a's surname and BSN are in no answer to a role that
may not see them, and an answer that shows them wrote an access-log row. The walk runs again with
two-factor authentication required (test_get_with_two_factor_required).

The dataset is built once per module, in a transaction rolled back at the end; each request runs
in a savepoint that is rolled back, so one that does change something cannot leak into the next.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import ApiToken, Notification, PolicySettings, Role
from clients.models import BarrierType, Partner, ScreeningQuestion
from instruments.models import BudgetChange
from monitoring.models import Report, ReportStatus, Target
from tests.casework.factories import TeamFactory, UserFactory
from tests.casework.url_matrix import (
    ADMIN_KINDS,
    ADMIN_LOGIN,
    ADMIN_MODELS,
    EXPECTED,
    KNOWN_WRONG,
    LOGIN,
    POST_EXPECTED,
    ROLES,
    SUDO,
    TWO_FACTOR,
)
from tests.clients.conversation_factories import ConversationFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.meeting_factories import InvitationFactory, MeetingFactory
from tests.clients.plan_factories import AgreementFactory, PlanFactory
from tests.instruments.factories import (
    AllocationFactory,
    BudgetFactory,
    EmployerFactory,
    PlacementFactory,
    ProviderFactory,
    TrajectoryFactory,
    VacancyFactory,
    WorkProfileFactory,
)

# --- The URL patterns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Url:
    key: str  # the row of the expectation table: the URL's full name, else its route
    route: str  # the whole pattern, e.g. "clienten/<int:pk>/" or "api/v1/^clients/(?P<pk>\d+)/$"
    pattern: URLPattern
    admin_model: str | None = None  # "app_label.model_name" for a ModelAdmin's URL
    admin_kind: str | None = None  # "changelist", "add", "change", ... for a ModelAdmin's URL


def _model_admin(callback: Any) -> "admin.ModelAdmin[Any] | None":
    """The ModelAdmin a /beheer/ view belongs to: ModelAdmin.get_urls marks its views with
    `model_admin`; UserAdmin's password view is a bound method wrapped by admin_view."""
    found = getattr(callback, "model_admin", None)
    if found is None:
        found = getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return found if isinstance(found, admin.ModelAdmin) else None


def _walk(resolver: URLResolver, prefix: str, namespace: str | None) -> Iterator[Url]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
            continue
        route = prefix + str(entry.pattern)
        model_admin = _model_admin(entry.callback)
        if model_admin is not None:
            meta = model_admin.model._meta
            model = f"{meta.app_label}.{meta.model_name}"
            # changelist_view -> changelist; the unnamed <object_id>/ redirect is a RedirectView.
            kind = entry.callback.__name__.removesuffix("_view")
            kind = "object-redirect" if kind == "view" else kind
            yield Url(f"beheer[{model}]:{kind}", route, entry, model, kind)
            continue
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
        yield Url(name or route, route, entry)


def project_urls() -> list[Url]:
    return list(_walk(get_resolver(), "", None))


URLS = project_urls()
URLS_BY_KEY = {url.key: url for url in URLS}


def expectation(url: Url) -> tuple[Any, ...] | None:
    """The expected GET answers of the six roles (in url_matrix.ROLES order), or None."""
    if url.admin_model is None or url.key in EXPECTED:
        return EXPECTED.get(url.key)
    allowed = ADMIN_MODELS.get(url.admin_model)
    kind = ADMIN_KINDS.get(url.admin_kind or "")
    if allowed is None or kind is None:
        return None
    needs, others, if_allowed, if_refused = kind
    # The application manager's answer follows what the table says they may do on this model.
    admin_answer = if_allowed if needs in allowed.split() else if_refused
    return (*others[:4], admin_answer, others[4])


pytestmark = pytest.mark.django_db  # per case: a savepoint in the module's transaction

# --- The dataset: a client of team A and everything around it -----------------------------------


CLIENT_SURNAME = "Vlasblom-Matrixhof"
# The roles that may not see client_a: its surname and BSN must be in none of their answers.
NOT_CLIENT_A = {"consultant_b", "policy_officer", "application_manager", "anonymous"}


@dataclass
class Dataset:
    objects: dict[str, models.Model]
    clients: dict[str, HttpClient]


def _build() -> dict[str, models.Model]:
    team_a = TeamFactory(name="Team A")
    team_b = TeamFactory(name="Team B")
    users = {
        "consultant_a": UserFactory(username="consultant_a", role=Role.CONSULTANT, team=team_a),
        "consultant_b": UserFactory(username="consultant_b", role=Role.CONSULTANT, team=team_b),
        "manager_a": UserFactory(username="manager_a", role=Role.MANAGER, team=team_a),
        "policy_officer": UserFactory(username="policy", role=Role.POLICY, team=None),
        "application_manager": UserFactory(
            username="admin", role=Role.ADMIN, team=None, is_staff=True
        ),
    }
    consultant = users["consultant_a"]
    device_owner = UserFactory(username="device_owner", role=Role.CONSULTANT, team=team_b)
    # A surname no factory makes up: found in an answer, it is this client's.
    client = ClientFactory(team=team_a, first_name="Anna", last_name=CLIENT_SURNAME)
    client.consultants.add(consultant)
    plan = PlanFactory(client=client, drawn_up_by=consultant)
    employer = EmployerFactory()
    vacancy = VacancyFactory(employer=employer)
    budget = BudgetFactory(year=2024)
    allocation = AllocationFactory(budget=budget)
    meeting = MeetingFactory(team=team_a)
    objects: dict[str, models.Model] = {
        **users,
        "client": client,
        "benefit_period": BenefitPeriodFactory(client=client),
        "group_assignment": ClientGroupAssignmentFactory(client=client),
        "ladder_measurement": LadderMeasurementFactory(client=client),
        "conversation": ConversationFactory(client=client, consultant=consultant),
        "plan": plan,
        "agreement": AgreementFactory(plan=plan),
        "meeting": meeting,
        "invitation": InvitationFactory(meeting=meeting, client=client, invited_by=consultant),
        "trajectory": TrajectoryFactory(
            client=client, instrument__budget_line=budget.line, started_by=consultant
        ),
        "employer": employer,
        "vacancy": vacancy,
        "work_profile": WorkProfileFactory(client=client, updated_by=consultant),
        "placement": PlacementFactory(
            client=client, employer=employer, vacancy=vacancy, placed_by=consultant
        ),
        "report": Report.objects.create(
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 3, 31),
            period_kind="quarter",
            status=ReportStatus.DONE,
            built_at=timezone.now(),
            pdf=b"%PDF-1.7",
            csv=b"indicator;value\r\n",
            xlsx=b"PK",
        ),
        "notification": Notification.objects.create(
            user=consultant, key="matrix", message="Gesprek gepland", url="/"
        ),
        "token": ApiToken.objects.create(
            user=consultant, name="koppeling", prefix="abc", key_hash="x" * 64
        ),
        # Rows for the /beheer/ pages whose models no migration fills.
        "group": Group.objects.create(name="Matrix"),
        "provider": ProviderFactory(),
        "allocation": allocation,
        "budget_change": BudgetChange.objects.create(
            budget=budget,
            allocation=allocation,
            old_amount=Decimal("1.00"),
            new_amount=Decimal("2.00"),
            reason="Matrix",
            changed_by=users["application_manager"],
        ),
        "barrier_type": BarrierType.objects.get_or_create(code="matrix", name="Matrix")[0],
        "screening_question": ScreeningQuestion.objects.get_or_create(
            code="matrix", text="Matrix?"
        )[0],
        "partner": Partner.objects.get_or_create(name="Matrix")[0],
        "target": Target.objects.create(indicator="matrix", year=2024, value=Decimal("1")),
        "access_attempt": AccessAttempt.objects.create(
            username="someone", ip_address="10.0.0.1", user_agent="test", failures_since_start=1
        ),
        "access_failure": AccessFailureLog.objects.create(
            username="someone", ip_address="10.0.0.1", user_agent="test"
        ),
        "axes_access_log": AxesAccessLog.objects.create(
            username="consultant_a", ip_address="10.0.0.1", user_agent="test"
        ),
        "policy_settings": PolicySettings.load(),
        # Someone else's two-factor devices (the six roles have none: force_login gives no
        # second factor, see test_get_with_two_factor_required).
        "totp_device": TOTPDevice.objects.create(user=device_owner, name="app", confirmed=True),
        "static_device": StaticDevice.objects.create(user=device_owner, name="backup"),
    }
    return objects


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: Any) -> Iterator[Dataset]:
    with django_db_blocker.unblock(), transaction.atomic():
        objects = _build()
        clients = {}
        for role in ROLES:
            http = HttpClient()
            if role != "anonymous":
                http.force_login(objects[role])  # type: ignore[arg-type]
            clients[role] = http
        yield Dataset(objects, clients)
        transaction.set_rollback(True)


# --- Filling in the URL parameters -------------------------------------------------------------

# Which object an URL's `pk` is, by the start of its key (first match wins).
PK_OBJECTS = [
    ("monitor-", "report"),
    ("clients:", "client"),
    ("conversations:", "conversation"),
    ("plans:version", "plan"),
    ("plans:agreement-status", "agreement"),
    ("meetings:", "meeting"),
    ("instruments:trajectory-end", "trajectory"),
    ("instruments:employer-", "employer"),
    ("instruments:vacancy-", "employer"),
    ("instruments:placement-end", "placement"),
    ("token-revoke", "token"),
    ("api:clients-", "client"),
    ("api:benefit-periods-", "benefit_period"),
    ("api:ladder-measurements-", "ladder_measurement"),
    ("api:group-assignments-", "group_assignment"),
    ("api:plans-", "plan"),
    ("api:agreements-", "agreement"),
    ("api:conversations-", "conversation"),
    ("api:employers-", "employer"),
    ("api:vacancies-", "vacancy"),
    ("api:placements-", "placement"),
    ("api:instruments-", "trajectory.instrument"),
    ("api:trajectories-", "trajectory"),
    ("api:budget-lines-", "trajectory.instrument.budget_line"),
]


def _object(data: Dataset, path: str) -> Any:
    first, *rest = path.split(".")
    found: Any = data.objects[first]
    for attribute in rest:
        found = getattr(found, attribute)
    return found


def url_values(url: Url, data: Dataset) -> dict[str, str]:
    """The value of every parameter of the URL."""
    client = data.objects["client"]
    values = {
        "client_pk": str(client.pk),
        "file_format": "csv",
        "kind_slug": "werkcoach",
        "year": "2024",
        "vacancy_pk": str(data.objects["vacancy"].pk),
        "code": "caseload",
        "app_label": "casework",  # /beheer/<app_label>/ (admin:app_list)
        "url": "geen-pagina/",  # the admin's catch-all
    }
    if url.admin_model is not None:
        model = ContentType.objects.get_by_natural_key(*url.admin_model.split(".")).model_class()
        assert model is not None
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"{url.key}: no {url.admin_model} row; add one to _build()"
        values["object_id"] = values["id"] = values["pk"] = str(row.pk)
    else:
        user_type = ContentType.objects.get_for_model(data.objects["consultant_a"])
        values["content_type_id"] = str(user_type.pk)
        values["object_id"] = str(data.objects["consultant_a"].pk)
    for start, path in PK_OBJECTS:
        if url.key.startswith(start):
            values["pk"] = str(_object(data, path).pk)
            break
    return values


_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def url_path(url: Url, data: Dataset) -> str:
    """The URL's path with its parameters filled in, checked to resolve to the same view."""
    values = url_values(url, data)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        assert name in values, f"{url.key}: no <{name}>; see url_values(), PK_OBJECTS"
        return values[name]

    path = "/" + _PARAMETER.sub(fill, url.route).replace("^", "").replace("$", "")
    path = path.replace(".*", "")
    assert resolve(path).func == url.pattern.callback, f"{url.key}: {path} resolves elsewhere"
    return path


# --- Asking and classifying the answer ----------------------------------------------------------

# Writes a GET may do: the access log of the persons it showed, and the session's last activity.
ALLOWED_GET_WRITES = {"casework_accesslog", "django_session"}
_WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _redirect_targets() -> dict[str, str]:
    """The pages a refused request is sent to, by the answer they stand for."""
    targets = {
        LOGIN: settings.LOGIN_URL,
        ADMIN_LOGIN: "admin:login",
        SUDO: "sudo",
        TWO_FACTOR: "two-factor-setup",
        f"{TWO_FACTOR} ": "login-verify",
    }
    found = {}
    for meaning, name in targets.items():
        try:
            found[reverse(name) + "?next="] = meaning.strip()
        except NoReverseMatch:
            continue
    return found


def answer(response: Any) -> int | str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        for start, meaning in _redirect_targets().items():
            if location.startswith(start):
                return meaning
    return int(response.status_code)


@dataclass
class Answer:
    result: int | str  # a status, or LOGIN / ADMIN_LOGIN for a redirect to a log-in page
    written: set[str]  # the tables the request wrote to
    body: bytes


def ask(data: Dataset, role: str, method: str, path: str) -> Answer:
    """The answer to a request; an exception in the view counts as a 500."""
    http = data.clients[role]
    with CaptureQueriesContext(connection) as queries:
        body = b""
        try:
            with transaction.atomic():
                response = getattr(http, method)(path)
                result = answer(response)
                if response.streaming:
                    body = b"".join(response.streaming_content)
                else:
                    body = response.content
                transaction.set_rollback(True)
        except Exception as error:  # a crash is an answer of its own
            result = f"500 ({type(error).__name__}: {error})"
    written = {m.group(1) for q in queries.captured_queries if (m := _WRITE.match(q["sql"]))}
    return Answer(result, written, body)


# --- The cases -----------------------------------------------------------------------------------


def problems(data: Dataset, role: str, method: str, path: str, expected: Any) -> list[str]:
    """What is wrong with the answer to this request by this role: [] when nothing is."""
    got = ask(data, role, method, path)
    found = []
    if got.result != expected:
        found.append(f"{method.upper()} {path} as {role}: expected {expected}, got {got.result}")
    allowed = ALLOWED_GET_WRITES if method == "get" else {"django_session"}
    if not got.written <= allowed:
        found.append(f"{method.upper()} {path} as {role} wrote to {sorted(got.written)}")
    client = data.objects["client"]
    shown = any(
        secret.encode() in got.body
        for secret in (CLIENT_SURNAME, client.bsn)  # type: ignore[attr-defined]
    )
    if shown and role in NOT_CLIENT_A:
        found.append(f"{method.upper()} {path} as {role} shows client_a")
    elif shown and "casework_accesslog" not in got.written:
        found.append(f"{method.upper()} {path} as {role} shows client_a without an access-log row")
    return found


def check_roles(data: Dataset, method: str, key: str, row: tuple[Any, ...]) -> None:
    """Ask as every role with an expectation in the row (None: not tried); fail naming each
    role whose answer is wrong, and mark the case xfail while KNOWN_WRONG lines still hold."""
    path = url_path(URLS_BY_KEY[key], data)
    failures, known = [], []
    for role, expected in zip(ROLES, row, strict=True):
        if expected is None:
            continue
        found = problems(data, role, method, path, expected)
        reason = KNOWN_WRONG.get((method.upper(), key, role))
        if reason is None:
            failures += found
        elif found:
            known.append(f"{role}: {reason}")
        else:
            failures.append(f"{role} is right now: remove its KNOWN_WRONG line for {key}")
    assert not failures, "\n".join(failures)
    if known:
        pytest.xfail("; ".join(known))


@pytest.mark.parametrize("key", [url.key for url in URLS])
def test_get(dataset: Dataset, key: str) -> None:
    """Every role's answer to a GET; a GET changes nothing but the access log and the session,
    and client_a is in no answer to a role that may not see it."""
    row = expectation(URLS_BY_KEY[key])
    assert row is not None, f"no expectation for {key} in tests/casework/url_matrix.py"
    check_roles(dataset, "get", key, row)


@pytest.mark.parametrize("key", list(POST_EXPECTED))
def test_post_refused(dataset: Dataset, key: str) -> None:
    """A POST without a valid body by a role that may not do it is refused, changing nothing."""
    assert key in URLS_BY_KEY, f"{key}: no such URL"
    check_roles(dataset, "post", key, POST_EXPECTED[key])


# With TWO_FACTOR_REQUIRED on (as in production), a session that has not given a second factor
# reaches only these; everything else sends it to the two-factor set-up page (the API: 403). The
# code page is open too, but sends these users (no app set up yet) on to the set-up page.
TWO_FACTOR_OPEN = {
    "login",
    "logout",
    "two-factor-setup",
    "set_language",
    "health",
    "health-celery",
}


# The middleware does not look at the role: one role that sees persons, and the staff account.
@pytest.mark.parametrize("role", ["consultant_a", "application_manager"])
def test_get_with_two_factor_required(dataset: Dataset, settings: Any, role: str) -> None:
    """The same walk with two-factor authentication required and not yet given (force_login
    gives no second factor): no page but the few above answers anything but the set-up page."""
    settings.TWO_FACTOR_REQUIRED = True
    failures = []
    for url in URLS:
        row = expectation(url)
        if row is None:
            continue  # test_every_url_has_an_expectation names it
        if url.key in TWO_FACTOR_OPEN:
            expected = row[ROLES.index(role)]
        else:
            expected = 403 if url.route.startswith("api/") else TWO_FACTOR
        path = url_path(url, dataset)
        failures += problems(dataset, role, "get", path, expected)
    assert not failures, "\n".join(failures)


def test_every_url_has_an_expectation(dataset: Dataset) -> None:
    missing = [url for url in URLS if expectation(url) is None]
    lines = []
    for url in missing:
        try:
            path = url_path(url, dataset)
            now = ", ".join(str(ask(dataset, role, "get", path).result) for role in ROLES)
        except AssertionError as error:
            now = str(error)
        lines.append(f"{url.key!r} ({url.route}): now {now}")
    assert not missing, (
        "URL patterns without a row in tests/casework/url_matrix.py (answers now, in ROLES "
        "order; check each before copying it):\n" + "\n".join(lines)
    )


def test_no_stale_expectations() -> None:
    keys = {url.key for url in URLS}
    models_ = {url.admin_model for url in URLS if url.admin_model}
    kinds = {url.admin_kind for url in URLS if url.admin_kind}
    stale = (
        (set(EXPECTED) - keys)
        | (set(POST_EXPECTED) - keys)
        | {key for _method, key, _role in KNOWN_WRONG if key not in keys}
        | {f"ADMIN_MODELS[{model}]" for model in set(ADMIN_MODELS) - models_}
        | {f"ADMIN_KINDS[{kind}]" for kind in set(ADMIN_KINDS) - kinds}
    )
    assert not stale, f"rows in tests/casework/url_matrix.py for URLs that are gone: {stale}"
    roles = {role for _method, _key, role in KNOWN_WRONG}
    assert roles <= set(ROLES), f"KNOWN_WRONG names roles that do not exist: {roles}"
    rows = {**EXPECTED, **{f"POST {key}": row for key, row in POST_EXPECTED.items()}}
    short = [key for key, row in rows.items() if len(row) != len(ROLES)]
    assert not short, f"rows without an answer for each of the six roles: {short}"
