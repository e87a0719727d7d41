"""The options of a selector field come from the meta graph: the shared code lists plus the organisation's own
triples (its governing bodies). A code list's options are built once per process, not per request, and are the same
options the whole meta graph gives; the governing bodies stay each organisation's own."""

from rdflib import Graph

from loket.forms.codelists import scheme_options
from loket.supervision import form as toezicht_form
from loket.supervision.models import GoverningBody


def _field_of_scheme(definition, meta, own: bool):  # type: ignore[no-untyped-def]
    """A selector field whose scheme lives in the organisation's own triples (own) or in the code lists."""
    for field in definition.fields.values():
        if field.concept_scheme is None:
            continue
        in_own = any(True for _ in meta.layers[1].triples((None, None, field.concept_scheme)))
        in_shared = any(True for _ in meta.layers[0].triples((None, None, field.concept_scheme)))
        if (own and in_own and not in_shared) or (not own and in_shared and not in_own):
            return field
    raise AssertionError("no such field in the form")


def _union_only(meta) -> Graph:  # type: ignore[no-untyped-def]
    """The same triples as one plain graph (no layers): what the options must equal."""
    plain = Graph()
    for triple in meta.triples((None, None, None)):
        plain.add(triple)
    return plain


def test_a_code_list_is_built_once_for_every_request_and_equals_the_union(municipality, other_municipality):  # type: ignore[no-untyped-def]
    GoverningBody.objects.create(
        organisation=municipality,
        uri="http://data.lblod.info/id/bestuursorganen/test-raad",
        classification_uri="http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/5ab0e9b8a3b2ca7c5e000005",
        label="Gemeenteraad Testgem",
    )
    definition = toezicht_form.form_definition()
    first = toezicht_form.meta_graph(municipality, with_documents=False)
    second = toezicht_form.meta_graph(other_municipality, with_documents=False)
    shared_field = _field_of_scheme(definition, first, own=False)
    options = scheme_options(shared_field, first)
    assert len(options) > 10
    assert scheme_options(shared_field, second) is options  # the second request builds nothing
    assert options == scheme_options(shared_field, _union_only(first))
    own_field = _field_of_scheme(definition, first, own=True)
    bodies = scheme_options(own_field, first)
    assert [option.label for option in bodies] == ["Gemeenteraad Testgem"]
    assert bodies == scheme_options(own_field, _union_only(first))
    others = scheme_options(own_field, second)  # the other organisation's own bodies, not the first's
    assert "Gemeenteraad Testgem" not in [option.label for option in others]
    assert others == scheme_options(own_field, _union_only(second))
