"""Hypothesis over the vendor import: RDFa pages built from the pieces real pages use (typeof and dct:type with
known, unknown and misspelled document types, eli:passed_by with the body's own organ, another body's organ or an
unknown one, besluit:bestuurt naming this body or another, temporal organs, session dates, damaged markup and
text) served from loopback and run through the real pipeline (`POST /melding`, then the job to its end). Never a
500 and never an exception from the job; a job ends in success, failed with a reason, or waiting; nothing is
ever written for another organisation."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loket.supervision.models import GoverningBody, Submission
from loket.vendors.models import Job
from loket.vendors.pipeline import job_run
from tests.vendors.conftest import BODY_F7460, GEMEENTERAAD, SUBMITTABLE, body_for, post

pytestmark = pytest.mark.django_db
OTHER_BODY = "http://data.lblod.info/id/bestuursorganen/ander-bestuur-gemeenteraad"
PREFIXES = (
    "besluit: http://data.vlaanderen.be/ns/besluit# eli: http://data.europa.eu/eli/ontology# "
    "mandaat: http://data.vlaanderen.be/ns/mandaat# prov: http://www.w3.org/ns/prov# dct: http://purl.org/dc/terms/ "
    "xsd: http://www.w3.org/2001/XMLSchema#"
)
TYPES = [
    "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee",
    "https://data.vlaanderen.be/id/concept/BesluitType/40831a2c-771d-4b41-9720-0399998f1873",
    "http://data.vlaanderen.be/id/concept/BesluitType/40831a2c-771d-4b41-9720-0399998f1873",
    "https://data.vlaanderen.be/id/concept/BesluitType40831a2c-771d-4b41-9720-0399998f1873",
    "http://example.org/onbekend-type",
    "besluit:Besluit",
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
DAMAGE = st.sampled_from(["", "<div>", "</span>", "<", '"', "&", "&#0;", "<!--", "<![CDATA[", "\x00", "<br/>"])


def sound_or(draw: st.DrawFn, sound: bool, good: str, anything: st.SearchStrategy[str]) -> str:
    return good if sound else draw(anything)


@st.composite
def page_html(draw: st.DrawFn, resource: str, own: str, other: str) -> str:
    """Half of the pages have every piece a successful import needs (their text and damage still drawn): without
    that, 40 random pages all ended in "failed" now and then (about one CI run in eight), and the test's last check
    that both ends are reached failed although nothing was wrong."""
    sound = draw(st.booleans())
    body = sound_or(
        draw, sound, BODY_F7460, st.sampled_from([BODY_F7460, OTHER_BODY, "http://data.example.be/onbekend-orgaan", ""])
    )
    governs = sound_or(draw, sound, own, st.sampled_from(["", own, other, "http://example.org/niemand"]))
    temporal = draw(st.booleans())
    organ = ""
    if body:
        inner = f'<span property="besluit:bestuurt" resource="{governs}"></span>' if governs else ""
        if temporal:
            inner = f'<span property="mandaat:isTijdspecialisatieVan" resource="{body}">{inner}</span>'
            body = body + "/2019-2024"
        organ = f'<span property="eli:passed_by" resource="{body}" typeof="besluit:Bestuursorgaan">{inner}</span>'
    kinds = TYPES[0] if sound else " ".join(draw(st.lists(st.sampled_from(TYPES), max_size=3)))
    typed = f' typeof="{kinds}"' if kinds else ""
    if draw(st.booleans()):
        typed += f' property="dct:type" resource="{draw(st.sampled_from(TYPES))}"'
    date = sound_or(
        draw,
        sound,
        "2020-05-26T17:30:00.000Z",
        st.sampled_from(["2020-05-26T17:30:00.000Z", "2020-02-30", "gisteren", "", "99999-01-01"]),
    )
    session = (
        f'<div resource="http://data.example.be/zittingen/1" typeof="besluit:Zitting">'
        f'<span property="prov:startedAtTime" content="{date}" datatype="xsd:dateTime"></span>'
        f'<div property="besluit:behandelt" resource="{resource}"></div></div>'
    )
    about = sound_or(
        draw, sound, resource, st.sampled_from([resource, resource, "http://data.example.be/ander-besluit"])
    )
    parts = [
        f'<div prefix="{PREFIXES}">',
        session if sound or draw(st.booleans()) else "",
        f'<div resource="{about}"{typed}>',
        organ,
        f'<span property="eli:title">{draw(TEXT)}</span>',
        draw(DAMAGE),
        "</div></div>",
    ]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(DAMAGE) + draw(TEXT))
    return "".join(parts)


def test_an_imported_page_never_gives_a_500_nor_writes_for_another_body(
    client, vendor, municipality, other_municipality, codelists, mechelen_bodies, pages
):
    GoverningBody.objects.create(
        organisation=other_municipality, uri=OTHER_BODY, classification_uri=GEMEENTERAAD, label="Gemeenteraad"
    )
    other_bodies = set(GoverningBody.objects.filter(organisation=other_municipality).values_list("pk", flat=True))
    counter = itertools.count()
    outcomes: list[str] = []

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data) -> None:  # type: ignore[no-untyped-def]
        number = next(counter)
        resource = f"http://data.example.be/besluiten/fuzz-{number}"
        html = data.draw(page_html(resource, municipality.uri, other_municipality.uri))
        href = pages.serve(f"/fuzz-{number}", html)
        response = post(client, "/melding", body_for(municipality, href=href, resource=resource, status=SUBMITTABLE))
        assert response.status_code == 201, response.content
        job = Job.objects.get(submitted_resource=resource, holds_resource=True)
        job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status in ("success", "failed", "busy", "scheduled"), job.status
        outcomes.append(job.status)
        if job.status == "failed":
            assert job.error_message
        assert not Submission.objects.filter(organisation=other_municipality).exists()
        assert not Submission.objects.exclude(governing_body=None).filter(governing_body__in=other_bodies).exists()
        assert set(Submission.objects.values_list("organisation", flat=True)) <= {municipality.pk}
        assert set(GoverningBody.objects.filter(organisation=other_municipality).values_list("pk", flat=True)) == (
            other_bodies
        )

    check()
    assert {"success", "failed"} <= set(outcomes), outcomes  # both ends are reached, not only refusals
