"""Subsidiebeheer's test cast: a call for gemeenten (the real criterion "doelgroep gemeentebesturen") with a flow of
two steps, built through the Turtle loader's form versions and plain rows for the windows."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rdflib import URIRef

from loket.accounts.roles import Role
from loket.forms.names import field_name
from loket.subsidies.models import Call, Criterion, CriterionRequirement, Flow, MeasureOffer, ProceduralStep, Step
from loket.subsidies.services import form_version_create
from loket.subsidies.terms import CLASSIFICATION, StepType

FORMS = Path(__file__).resolve().parents[2] / "src" / "loket" / "subsidies" / "fixtures" / "forms"
BRUSSELS = ZoneInfo("Europe/Brussels")
EXT = "http://mu.semte.ch/vocabularies/ext/"


def brussels(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BRUSSELS)  # type: ignore[misc]


def form_version(name: str = "aanvraag-v1.ttl"):  # type: ignore[no-untyped-def]
    return form_version_create(name=name, turtle=(FORMS / name).read_text(encoding="utf-8"))


def make_call(
    *,
    steps: list[tuple[str, str, datetime | None, datetime | None]],
    kinds: list[str] | None = None,
    bodies: list | None = None,  # type: ignore[type-arg]
    title: str = "Oproep 2026",
) -> Call:
    offer = MeasureOffer.objects.create(title="Fietsinfrastructuur")
    if kinds:
        criterion = Criterion.objects.create(title="doelgroep")
        for kind in kinds:
            CriterionRequirement.objects.create(criterion=criterion, satisfiable_by=CLASSIFICATION + kind)
        offer.criteria.add(criterion)
    for body in bodies or []:
        offer.bodies.add(body)
    call = Call.objects.create(offer=offer, title=title)
    flow = Flow.objects.create(call=call)
    for order, (name, step_type, start, end) in enumerate(steps):
        procedural = ProceduralStep.objects.create(name=name, type=step_type, start=start, end=end)
        version = form_version("aanvraag-v1.ttl" if order == 0 else "opvolging-v1.ttl")
        Step.objects.create(flow=flow, order=order, procedural_step=procedural, form_version=version)
    return call


GEMEENTE = "5ab0e9b8a3b2ca7c5e000001"


@pytest.fixture
def call(municipality, other_municipality):  # type: ignore[no-untyped-def]
    """Open now (2026 on): Aanvraag until 31 March 2027 23:59:59 Brussels, then Opvolging (Externe verwerking)."""
    return make_call(
        kinds=[GEMEENTE],
        steps=[
            ("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), brussels(2027, 3, 31, 23, 59, 59)),
            ("Opvolging", StepType.EXTERNAL, brussels(2020, 1, 1), brussels(2028, 12, 31, 23, 59, 59)),
        ],
    )


@pytest.fixture
def subsidies_clerk(municipality):  # type: ignore[no-untyped-def]
    from tests.conftest import grant, make_user

    user = make_user("sofie-subsidies")
    grant(user, municipality, [Role.SUBSIDIES])
    return user


@pytest.fixture
def agency_staff(agency):  # type: ignore[no-untyped-def]
    from tests.conftest import grant, make_user

    user = make_user("anton-agentschap")
    grant(user, agency, [Role.SUBSIDIES])
    return user


def names(form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    node = URIRef(form.uri)
    return {
        key: field_name(URIRef(EXT + key), node) for key in ("projectName", "totalAmount", "email", "iban", "report")
    }


def valid_data(form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    n = names(form)
    return {n["projectName"]: "Fietspad Dorpstraat", n["totalAmount"]: "125000", n["email"]: "info@example.org"}


def report_data(form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {names(form)["report"]: "Werken gestart."}
