"""The validation report: a pass and a fail per LMB rule, for a gemeente plus its OCMW; silencing needs a reason;
the page and the nightly command."""

from datetime import date

import pytest
from django.core.management import call_command

from loket.core.errors import DomainError
from loket.mandates.codes import Publication, RoleCode, Status
from loket.mandates.models import Holder, Mandate, ValidationReport
from loket.mandates.validation import finding_silence, findings_for, report_for
from loket.persons.models import Person
from tests.mandates.conftest import mandate

pytestmark = pytest.mark.django_db

START = date(2025, 1, 6)
R = RoleCode


@pytest.fixture
def unit(municipality, organs, ocmw):  # type: ignore[no-untyped-def]
    return municipality


def person(name: str) -> Person:
    return Person.objects.create(given_names=name, used_given_name=name, family_name="Test")


def hold(org, role, who, **fields):  # type: ignore[no-untyped-def]
    base = {"start": START, "status": Status.EFFECTIVE, "publication": Publication.NOT_RATIFIED}
    base.update(fields)
    return Holder.objects.create(mandate=mandate(org, role), person=who, **base)


def rules(unit, holder=None):  # type: ignore[no-untyped-def]
    return sorted(
        {
            f.rule
            for f in findings_for(unit=unit, period="2024")
            if holder is None or f.holder == holder or f.subject == getattr(holder, "uuid", None)
        }
    )


def test_1_1_no_status(unit):  # type: ignore[no-untyped-def]
    ok = hold(unit, R.DESIGNATED_MAYOR, person("A"))
    bad = hold(unit, R.ADDED_ALDERMAN, person("B"), status="")
    assert "1.1" not in rules(unit, ok) and "1.1" in rules(unit, bad)
    assert "1.4.8" in rules(unit, bad) and "1.4.8" not in rules(unit, ok)


def test_1_2_outside_the_period(unit, ocmw):  # type: ignore[no-untyped-def]
    ok = hold(ocmw, R.SOCIAL_MEMBER, person("A"), end=date(2030, 12, 31))
    early = hold(ocmw, R.SOCIAL_MEMBER, person("B"), start=date(2024, 12, 1))
    late = hold(ocmw, R.SOCIAL_MEMBER, person("C"), end=date(2031, 1, 1))
    assert "1.2" not in rules(unit, ok)
    assert "1.2" in rules(unit, early) and "1.2" in rules(unit, late)


def test_1_3_seat_counts_on_edge_dates(unit, ocmw):  # type: ignore[no-untyped-def]
    council = mandate(unit, R.COUNCILLOR)
    Mandate.objects.filter(pk=council.pk).update(seats=2)
    a, b = person("A"), person("B")
    hold(unit, R.COUNCILLOR, a)
    hold(unit, R.COUNCILLOR, b)
    assert "1.3" not in rules(unit, council)
    hold(unit, R.COUNCILLOR, person("C"), start=date(2026, 1, 1))
    assert "1.3" in rules(unit, council)
    # Lid Vast Bureau: seats − 1 is enough.
    bureau = mandate(ocmw, R.BUREAU_MEMBER)
    Mandate.objects.filter(pk=bureau.pk).update(seats=2)
    hold(ocmw, R.BUREAU_MEMBER, a)
    assert "1.3" not in rules(unit, bureau)
    Mandate.objects.filter(pk=bureau.pk).update(seats=3)
    assert "1.3" in rules(unit, bureau)


def test_1_3_a_version_change_counts_once(unit):  # type: ignore[no-untyped-def]
    chair = mandate(unit, R.COUNCIL_CHAIR)
    a = person("A")
    first = hold(unit, R.COUNCIL_CHAIR, a, end=date(2026, 1, 1))
    hold(unit, R.COUNCIL_CHAIR, a, start=date(2026, 1, 1), previous=first)
    assert "1.3" not in rules(unit, chair)


def test_1_9_fractie(unit, fractie):  # type: ignore[no-untyped-def]
    ok = hold(unit, R.ALDERMAN, person("A"), fractie=fractie, rangorde="Eerste schepen")
    bad = hold(unit, R.ALDERMAN, person("B"), rangorde="Tweede schepen")
    assert "1.9" not in rules(unit, ok) and "1.9" in rules(unit, bad)


def test_1_10_policy_domains(unit):  # type: ignore[no-untyped-def]
    ok = hold(unit, R.ALDERMAN, person("A"), policy_domains=["Cultuur"])
    bad = hold(unit, R.COUNCILLOR, person("B"), policy_domains=["Cultuur"])
    assert "1.10" not in rules(unit, ok) and "1.10" in rules(unit, bad)


@pytest.mark.parametrize(
    ("rule", "role", "partner_role", "in_ocmw"),
    [
        ("1.11", R.COUNCILLOR, R.WELFARE_MEMBER, True),
        ("1.12", R.COUNCIL_CHAIR, R.WELFARE_CHAIR, True),
        ("1.13", R.ALDERMAN, R.BUREAU_MEMBER, True),
        ("1.14", R.MAYOR, R.BUREAU_CHAIR, True),
        ("1.15", R.SOCIAL_CHAIR, R.BUREAU_MEMBER, True),
    ],
)
def test_gemeente_ocmw_pairs(unit, ocmw, rule, role, partner_role, in_ocmw):  # type: ignore[no-untyped-def]
    owner = ocmw if role == R.SOCIAL_CHAIR else unit
    ok_person, bad_person = person("A"), person("B")
    ok = hold(owner, role, ok_person)
    bad = hold(owner, role, bad_person, start=date(2025, 2, 1))
    hold(ocmw, partner_role, ok_person)
    assert rule not in rules(unit, ok) and rule in rules(unit, bad)


def test_pairs_exempt_in_faciliteitengemeenten(unit):  # type: ignore[no-untyped-def]
    bad = hold(unit, R.COUNCILLOR, person("B"))
    assert "1.11" in rules(unit, bad)
    unit.name = "Voeren"
    unit.save()
    assert "1.11" not in rules(unit, bad)


def test_1_16_verhinderd_needs_a_waarnemend_replacement(unit):  # type: ignore[no-untyped-def]
    prevented = hold(unit, R.COUNCILLOR, person("A"), status=Status.PREVENTED)
    assert "1.16" in rules(unit, prevented)
    same_person = hold(unit, R.COUNCILLOR, prevented.person, status=Status.ACTING, start=date(2025, 3, 1))
    Holder.objects.filter(pk=prevented.pk).update(replaced_by=same_person)
    prevented.refresh_from_db()
    assert "1.16" in rules(unit, prevented)
    other = hold(unit, R.COUNCILLOR, person("B"), status=Status.ACTING, start=START)
    Holder.objects.filter(pk=prevented.pk).update(replaced_by=other)
    assert "1.16" not in rules(unit, prevented)


def test_1_18_ratified_needs_a_decision(unit):  # type: ignore[no-untyped-def]
    ok = hold(
        unit,
        R.DESIGNATED_MAYOR,
        person("A"),
        publication=Publication.RATIFIED,
        ratified_by_uri="http://data.lblod.info/id/besluiten/1",
    )
    bad = hold(unit, R.ADDED_ALDERMAN, person("B"), publication=Publication.RATIFIED)
    assert "1.18" not in rules(unit, ok) and "1.18" in rules(unit, bad)


def test_1_19_rangorde(unit):  # type: ignore[no-untyped-def]
    ok = hold(unit, R.COUNCILLOR, person("A"), rangorde="Eerste gemeenteraadslid")
    bad = hold(unit, R.COUNCILLOR, person("B"))
    chair = hold(unit, R.COUNCIL_CHAIR, person("C"))
    assert "1.19" not in rules(unit, ok) and "1.19" in rules(unit, bad) and "1.19" not in rules(unit, chair)


def test_2_1_role_outside_the_schemes(unit):  # type: ignore[no-untyped-def]
    council = mandate(unit, R.COUNCILLOR)
    assert "2.1" not in rules(unit, council)
    Mandate.objects.filter(pk=council.pk).update(role="not-a-role")
    assert "2.1" in rules(unit, council)


def test_2_3_overlapping_versions(unit):  # type: ignore[no-untyped-def]
    a = person("A")
    first = hold(unit, R.COUNCILLOR, a, end=date(2026, 1, 1))
    hold(unit, R.COUNCILLOR, a, start=date(2026, 1, 1))
    assert "2.3" not in rules(unit, first)
    hold(unit, R.COUNCILLOR, a, start=date(2025, 12, 1))
    assert "2.3" in rules(unit, first)


def test_silencing_needs_a_reason_and_moves_the_finding(unit, clerk):  # type: ignore[no-untyped-def]
    bad = hold(unit, R.ADDED_ALDERMAN, person("B"), status="")
    with pytest.raises(DomainError):
        finding_silence(unit=unit, rule="1.1", subject=bad.uuid, reason=" ", actor=clerk)
    finding_silence(unit=unit, rule="1.1", subject=bad.uuid, reason="Gekend, wordt opgevolgd", actor=clerk)
    open_, silenced = report_for(unit=unit, period="2024")
    assert "1.1" not in {f.rule for f in open_ if f.holder == bad}
    assert [(f.rule, s.reason) for f, s in silenced] == [("1.1", "Gekend, wordt opgevolgd")]


def test_report_page_links_to_the_holder_and_silences(client, clerk, unit):  # type: ignore[no-untyped-def]
    bad = hold(unit, R.COUNCILLOR, person("B"))
    client.force_login(clerk)
    body = client.get("/mandaten/validatie/").content.decode()
    assert f"/mandaten/mandatarissen/{bad.uuid}/" in body and "Mandataris zonder rangorde." in body
    response = client.post("/mandaten/validatie/stilzetten/", {"rule": "1.19", "subject": str(bad.uuid), "reason": ""})
    assert response.status_code == 302
    assert "Mandataris zonder rangorde." in client.get("/mandaten/validatie/").content.decode().split("Stilgezet")[0]
    client.post("/mandaten/validatie/stilzetten/", {"rule": "1.19", "subject": str(bad.uuid), "reason": "Klopt"})
    body = client.get("/mandaten/validatie/").content.decode()
    assert "Klopt" in body.split("Stilgezet")[1]


def test_nightly_command_stores_a_report_per_unit(unit):  # type: ignore[no-untyped-def]
    hold(unit, R.COUNCILLOR, person("B"))
    call_command("mandates", "report")
    report = ValidationReport.objects.get(organisation=unit, period="2024")
    assert report.findings == len(findings_for(unit=unit, period="2024"))
