"""Names people can tell apart: a shared name gets the kind, then the place; a nameless body its KBO number; the
remembered answer follows changes to organisations at once."""

import pytest
from django.template import Context, Template

from loket.organisations.models import Organisation
from loket.organisations.naming import display_name, display_title, format_kbo, qualifiers
from tests.conftest import BASE, KIND, _kind, make_organisation


@pytest.fixture
def kinds(db):  # type: ignore[no-untyped-def]
    return {
        "municipality": _kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality"),
        "ocmw": _kind("5ab0e9b8a3b2ca7c5e000002", "OCMW", "ocmw"),
        "board": _kind("66ec74fd-8cfc-4e16-99c6-350b35012e86", "Bestuur van de eredienst", "worship_board"),
    }


def _org(key: str, name: str, kind, kbo: str = "", province: str = "") -> Organisation:  # type: ignore[no-untyped-def]
    organisation = make_organisation(key=key, name=name, kbo=kbo, kind=kind, target_group=None)
    if province:
        organisation.province = province
        organisation.save()
    return organisation


def test_a_shared_name_shows_the_kind_and_where_needed_the_place(kinds, django_assert_num_queries):  # type: ignore[no-untyped-def]
    aalst = _org("a1", "Aalst", kinds["municipality"], "0207451227", "Oost-Vlaanderen")
    aalst_ocmw = _org("a2", "Aalst", kinds["ocmw"], "0212198716", "Oost-Vlaanderen")
    lier = _org("l1", "Lier", kinds["municipality"], "0207520320", "Antwerpen")
    hart_lier = _org("h1", "H. Hart", kinds["board"], "0211000000", "Antwerpen")
    hart_lier.supervised_by.add(lier)
    hart_genk = _org("h2", "H. Hart", kinds["board"], "0211000001", "Limburg")
    berlare = _org("b1", "Berlare", kinds["municipality"], "0207437468")
    hart_genk_too = _org("h3", "H. Hart", kinds["board"], "0211000002", "Limburg")
    qualifiers()  # the first call asks the database; then nothing until an organisation changes
    with django_assert_num_queries(0):
        names = [display_name(o) for o in (aalst, aalst_ocmw, hart_lier, hart_genk, hart_genk_too, berlare, lier)]
    assert names == [
        "Aalst — Gemeente",
        "Aalst — OCMW",
        "H. Hart — Bestuur van de eredienst, Lier",
        # Same name, kind and province (the municipality unknown): the KBO number tells them apart.
        "H. Hart — Bestuur van de eredienst, Limburg, KBO 0211.000.001",
        "H. Hart — Bestuur van de eredienst, Limburg, KBO 0211.000.002",
        "Berlare",
        "Lier",
    ]
    assert display_title(aalst_ocmw) == "KBO 0212.198.716"
    # The model's own name (str(), admin lists, messages, mails) is the same function.
    assert str(aalst_ocmw) == aalst_ocmw.display_name == "Aalst — OCMW"


def test_a_body_without_a_name_is_named_by_its_kbo_number(kinds):  # type: ignore[no-untyped-def]
    nameless = _org("n1", "", kinds["board"], "0211282331")
    bare = Organisation.objects.create(uri=f"{BASE}/besturenVanDeEredienst/0018ad63", name="", kind=kinds["board"])
    assert display_name(nameless) == "KBO 0211.282.331 — Bestuur van de eredienst"
    assert display_name(bare) == "Bestuur van de eredienst 0018ad63"
    assert display_title(bare) == ""
    assert format_kbo("0207437468") == "0207.437.468"


def test_a_rename_is_seen_at_once(kinds):  # type: ignore[no-untyped-def]
    first = _org("r1", "Ronse", kinds["municipality"])
    second = _org("r2", "Renaix", kinds["ocmw"])
    assert display_name(second) == "Renaix"
    second.name = "Ronse"
    second.save()
    assert display_name(first) == "Ronse — Gemeente"
    assert display_name(second) == "Ronse — OCMW"


def test_the_template_tag_gives_the_kbo_number_as_title(kinds):  # type: ignore[no-untyped-def]
    _org("a1", "Aalst", kinds["municipality"], "0207451227")
    ocmw = _org("a2", "Aalst", kinds["ocmw"], "0212198716")
    html = Template("{% load naming %}{% body org %}|{{ org|body_name }}").render(Context({"org": ocmw}))
    assert html == '<span class="body-name" title="KBO 0212.198.716">Aalst — OCMW</span>|Aalst — OCMW'
    assert KIND  # the kinds above use the real classification base


def test_the_remembered_names_hold_no_translated_words(db):  # type: ignore[no-untyped-def]
    from django.utils import translation

    first = Organisation.objects.create(uri=f"{BASE}/representatieveOrganen/x1", name="Bisdom X", kbo="0408140861")
    Organisation.objects.create(uri=f"{BASE}/representatieveOrganen/x2", name="Bisdom X", kbo="0408140862")
    with translation.override("en"):
        assert display_name(first) == "Bisdom X — Authority, KBO 0408.140.861"  # computed in English first
    assert display_name(first) == "Bisdom X — Bestuur, KBO 0408.140.861"
