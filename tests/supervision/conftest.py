import pytest
from rdflib import URIRef

from loket.forms.names import field_name
from loket.supervision.codelists import document_types_load
from loket.supervision.models import DocumentType
from loket.supervision.services import submission_form_node

FIELDS = "http://data.lblod.info/loket/fields/toezicht/"
BESLUITENLIJST = "https://data.vlaanderen.be/id/concept/BesluitDocumentType/3fa67785-ffdc-4b30-8880-2b99d97b4dee"
REGLEMENT = "https://data.vlaanderen.be/id/concept/BesluitType/67378dd0-5413-474b-8996-d992ef81637a"
BELASTINGREGLEMENT = "https://data.vlaanderen.be/id/concept/BesluitType/efa4ec5a-b006-453f-985f-f986ebae11bc"
BUDGET = "https://data.vlaanderen.be/id/concept/BesluitType/40831a2c-771d-4b41-9720-0399998f1873"


@pytest.fixture
def document_types(db):  # type: ignore[no-untyped-def]
    document_types_load()
    return {t.uri: t for t in DocumentType.objects.all()}


def name_of(submission, field: str) -> str:  # type: ignore[no-untyped-def]
    """The HTML input name the form engine gives a Toezicht field for this submission."""
    return field_name(URIRef(FIELDS + field), submission_form_node(submission))
