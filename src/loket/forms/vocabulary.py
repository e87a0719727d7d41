"""RDF namespaces and the terms of the lblod form vocabulary that the engine understands."""

from rdflib import Namespace, URIRef


class _Namespace(Namespace):
    """An rdflib Namespace that makes each term once: `FORM.Bag` in a hot loop is then an attribute read,
    not a new URIRef with IRI validation every time."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = self.term(name)
        self.__dict__[name] = term
        return term


RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = _Namespace("http://www.w3.org/ns/shacl#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
FORM = _Namespace("http://lblod.data.gift/vocabularies/forms/")
DISPLAY = _Namespace("http://lblod.data.gift/display-types/")
FIELD_OPTION = _Namespace("http://lblod.data.gift/vocabularies/form-field-options/")
NIE = _Namespace("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
NFO = _Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#")
MU = _Namespace("http://mu.semte.ch/vocabularies/core/")
RPIO_HTTP = _Namespace("http://redpencil.data.gift/vocabularies/http/")
LBLOD_BESLUIT = _Namespace("http://lblod.data.gift/vocabularies/besluit/")
SCHEMA = _Namespace("http://schema.org/")
EXT = _Namespace("http://mu.semte.ch/vocabularies/ext/")
QB = _Namespace("http://purl.org/linked-data/cube#")

FORM_DATA_NODES = "http://data.lblod.info/form-data/nodes/"
REMOTE_URL_BASE = "http://data.lblod.info/remote-url/"
REMOTE_URL_REQUEST_HEADER = "http://data.lblod.info/request-headers/29b14d06-e584-45d6-828a-ce1f0c018a8e"

# Display types that store nothing: they only show something.
DECORATIVE_DISPLAY_TYPES = frozenset({DISPLAY.heading, DISPLAY.alert})

# Every display type of ember-submission-form-fields and the Loket's own extensions.
KNOWN_DISPLAY_TYPES = frozenset(
    DISPLAY[name]
    for name in (
        "defaultInput",
        "textArea",
        "numericalInput",
        "currencyInput",
        "date",
        "datePicker",
        "dateTime",
        "dateRange",
        "checkbox",
        "switch",
        "conceptSchemeSelector",
        "conceptSchemeMultiSelector",
        "conceptSchemeRadioButtons",
        "conceptSchemeMultiSelectCheckboxes",
        "files",
        "files/variation/1",
        "remoteUrls",
        "remoteUrls/variation/1",
        "vLabelOpcentiem",
        "caseNumber",
        "bestuursorgaanSelector",
        "alert",
        "heading",
        "search",
        "customSearch",
        "property-group",
        "section",
        "decisionArticles",
        "decisionDocuments",
        "instanceSelector",
        "instanceMultiSelector",
    )
)

__all__ = [
    "DISPLAY",
    "EXT",
    "FIELD_OPTION",
    "FORM",
    "MU",
    "NFO",
    "NIE",
    "QB",
    "RDF",
    "RPIO_HTTP",
    "SCHEMA",
    "SH",
    "SKOS",
    "XSD",
]
