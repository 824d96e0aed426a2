"""The REST API fuzzed with schemathesis against a live server: every operation of the OpenAPI
schema, as served at /api/schema/, is called with generated (valid and invalid) input by each role,
and no answer may be a server error or differ from what the schema promises (status code, content
type, body, headers).

The operations come from the schema at run time, so a resource registered in casework/api/urls.py
is fuzzed without a change here. The run is bounded and reproducible: few calls per operation,
generated derandomized (the same calls on every run)."""

import datetime
from typing import Any

import pytest
import schemathesis
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import NotFound
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casework.api.tokens import create_api_token
from casework.models import Role, User
from clients.models import ClientGroup, LadderStep
from instruments.models import Sector
from tests.api import with_token
from tests.casework.factories import TeamFactory, UserFactory
from tests.clients.conversation_factories import ConversationFactory, DomainScoreFactory
from tests.clients.factories import (
    BenefitPeriodFactory,
    ClientFactory,
    ClientGroupAssignmentFactory,
    LadderMeasurementFactory,
)
from tests.clients.plan_factories import AgreementFactory, PlanFactory
from tests.instruments.factories import (
    EmployerFactory,
    InstrumentFactory,
    PlacementFactory,
    TrajectoryFactory,
    VacancyFactory,
    WorkProfileFactory,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Generated calls per operation for each role; derandomized, so every run makes the same calls.
# Consultants and team leaders see the records of their own team's clients (the team leader
# differs little: fewer calls), a policy officer aggregates only (403 elsewhere); anonymous calls
# are refused (401) before any input is read.
EXAMPLES = {"consultant": 12, "manager": 3, "policy_officer": 8, "anonymous": 2}


def seed_team(name: str) -> dict[str, User]:
    """A team with a consultant, a team leader and three clients with a history in every
    resource of the API: benefit periods, klantgroep, ladder, conversations, plans with
    agreements, trajecten, a work profile and a placement."""
    team = TeamFactory(name=name)
    consultant = UserFactory(role=Role.CONSULTANT, team=team)
    manager = UserFactory(role=Role.MANAGER, team=team)
    groups = list(ClientGroup.objects.order_by("position"))
    steps = {step.number: step for step in LadderStep.objects.all()}
    instrument = InstrumentFactory()
    employer = EmployerFactory()
    VacancyFactory(employer=employer)
    for number in range(3):
        client = ClientFactory(team=team)
        client.consultants.add(consultant)
        BenefitPeriodFactory(
            client=client,
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2021, 12, 31),
            end_reason="work",
        )
        BenefitPeriodFactory(client=client, start_date=datetime.date(2022, 1, 1))
        ClientGroupAssignmentFactory(client=client, group=groups[number % len(groups)])
        LadderMeasurementFactory(client=client, step=steps[number + 1], target_step=steps[4])
        conversation = ConversationFactory(client=client, consultant=consultant, completed=True)
        DomainScoreFactory(conversation__client=client, conversation__consultant=consultant)
        plan = PlanFactory(client=client, drawn_up_by=consultant)
        AgreementFactory(plan=plan)
        TrajectoryFactory(
            client=client, instrument=instrument, started_by=consultant, conversation=conversation
        )
        WorkProfileFactory(client=client, updated_by=consultant, sectors=[Sector.objects.first()])
        if number == 0:
            PlacementFactory(client=client, employer=employer, placed_by=consultant)
    return {"consultant": consultant, "manager": manager}


@pytest.fixture
def fuzz_users(db):
    seed_team("Team B")  # outside the scope of team A's users: must stay invisible
    return {**seed_team("Team A"), "policy_officer": UserFactory(role=Role.POLICY, team=None)}


def load_schema(
    base_url: str, headers: dict[str, str], dictionaries: dict[str, list[Any]] | None = None
) -> schemathesis.BaseSchema:
    """The schema as the live server serves it to this user. `dictionaries` gives per query
    parameter or body field name (client, instrument, ...) values that name existing rows;
    half of the generated values of such a field are taken from them."""
    dictionaries = dictionaries or {}
    config = schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            # The role's token is the only credential sent: none generated from the schema.
            "generation": {"with-security-parameters": False},
            "dictionaries": {name: {"values": values} for name, values in dictionaries.items()},
            "parameters": {
                key: {"dictionary": name, "probability": 0.5}
                for name in dictionaries
                for key in (name, f"body.{name}")
            },
        }
    )
    return schemathesis.openapi.from_url(
        f"{base_url}/api/schema/?format=json", headers=headers, config=config, timeout=30
    )


def collection_path(path: str) -> str:
    """/api/v1/plans/{id}/ and /api/v1/plans/{id}/end/ -> /api/v1/plans/"""
    return path.split("{", 1)[0]


def known_values(
    credentials: list[dict[str, str]], operations: list[schemathesis.APIOperation]
) -> dict[str, dict[str, list[Any]]]:
    """Per collection (/api/v1/plans/) the values of its rows' fields (id, code, ...) in the
    first page these users see, to aim some calls at existing rows: random ids seldom hit."""
    values: dict[str, dict[str, list[Any]]] = {}
    for operation in operations:
        if operation.method.upper() != "GET" or "{" in operation.path:
            continue
        for headers in credentials:
            response = APIClient().get(operation.path, headers=headers)
            body = response.json() if response.status_code == 200 else []
            rows = body.get("results", []) if isinstance(body, dict) else body
            for row in rows:
                for name, value in row.items() if isinstance(row, dict) else []:
                    values.setdefault(operation.path, {}).setdefault(name, []).append(value)
    return values


def field_name(collection: str) -> str:
    """The name of a field that refers to a row of this collection:
    /api/v1/clients/ -> client, /api/v1/vacancies/ -> vacancy, /api/v1/budget-lines/ -> budget_line
    """
    slug = collection.rstrip("/").rsplit("/", 1)[-1].replace("-", "_")
    return slug.removesuffix("ies") + "y" if slug.endswith("ies") else slug.removesuffix("s")


def strategy(
    operation: schemathesis.APIOperation, known: dict[str, dict[str, list[Any]]]
) -> st.SearchStrategy[schemathesis.Case]:
    """Valid and invalid input, and valid input aimed at the path's existing records
    (/plans/{id}/ with the id of a plan in the list)."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    rows = known.get(collection_path(operation.path), {})
    for parameter in operation.path_parameters:
        if rows.get(parameter.name):
            strategies.append(
                st.sampled_from(rows[parameter.name]).flatmap(
                    lambda value, name=parameter.name: operation.as_strategy(
                        GenerationMode.POSITIVE, path_parameters={name: value}
                    )
                )
            )
    return st.one_of(strategies)


def fuzz(
    operation: schemathesis.APIOperation,
    cases: st.SearchStrategy[schemathesis.Case],
    headers: dict[str, str],
    examples: int,
) -> None:
    """Calls the operation until `examples` calls passed every check, or raises the first
    failure (shrunk to its simplest input)."""

    @given(case=cases)
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

    call()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_operation_answers_as_its_schema_says(live_server, fuzz_users, subtests):
    """One subtest per role and operation. The data are seeded once; writes are fuzzed too, so
    one role's calls may change them for the next: every answer must still match the schema."""
    tokens = {
        role: create_api_token(user=user, name="fuzz")[1] for role, user in fuzz_users.items()
    }
    credentials = {role: {"Authorization": f"Token {token}"} for role, token in tokens.items()}
    operations = [
        result.ok()
        for result in load_schema(live_server.url, credentials["consultant"]).get_all_operations()
    ]
    assert len(operations) > 1
    known = known_values([credentials["consultant"], credentials["policy_officer"]], operations)
    # Filters and body fields named after a resource (client, instrument, employer, ...) get
    # the ids of its rows, so that writes get past "no such client" and reach the services.
    dictionaries = {
        field_name(collection): rows["id"] for collection, rows in known.items() if rows.get("id")
    }
    dictionaries["consultant"] = [fuzz_users["consultant"].pk]
    schema = load_schema(live_server.url, credentials["consultant"], dictionaries)
    operations = [result.ok() for result in schema.get_all_operations()]
    for role, examples in EXAMPLES.items():
        for operation in operations:
            with subtests.test(msg=f"{role}: {operation.label}"):
                fuzz(operation, strategy(operation, known), credentials.get(role, {}), examples)


# What the fuzzing found, pinned down -------------------------------------------------------------


@pytest.mark.django_db
def test_every_operation_documents_the_error_responses_it_can_give():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = operation["responses"].keys()
            assert {"401", "403"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path)


@pytest.mark.django_db
def test_a_field_that_may_be_blank_may_be_empty_in_the_schema():
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    email = schemas["ClientDetail"]["properties"]["email"]
    assert email["anyOf"] == [
        {"type": "string", "format": "email"},
        {"type": "string", "maxLength": 0},
    ]


@pytest.mark.parametrize("path", ["/api/v1/clients/abc/", "/api/v1/no-such-resource/"])
def test_an_unknown_url_of_the_api_is_a_json_404(db, consultant_a, path):
    browser = Client(enforce_csrf_checks=True)  # a session without a CSRF token
    browser.force_login(consultant_a)
    for response in [browser.get(path), browser.post(path, {})]:
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": str(NotFound.default_detail)}


@pytest.mark.django_db
def test_a_record_outside_the_scope_is_404_without_naming_its_model(
    api_client, consultant_b, client_a
):
    period = BenefitPeriodFactory(client=client_a)  # looked up by ClientRecordViewSet.get_object
    response = with_token(api_client, consultant_b).get(f"/api/v1/benefit-periods/{period.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": str(NotFound.default_detail)}
