"""RDF namespaces and the terms of the lblod form vocabulary that the engine understands."""

from rdflib import Namespace
from rdflib.namespace import RDF, SH, SKOS, XSD

FORM = Namespace("http://lblod.data.gift/vocabularies/forms/")
DISPLAY = Namespace("http://lblod.data.gift/display-types/")
FIELD_OPTION = Namespace("http://lblod.data.gift/vocabularies/form-field-options/")
NIE = Namespace("http://www.semanticdesktop.org/ontologies/2007/01/19/nie#")
NFO = Namespace("http://www.semanticdesktop.org/ontologies/2007/03/22/nfo#")
MU = Namespace("http://mu.semte.ch/vocabularies/core/")
RPIO_HTTP = Namespace("http://redpencil.data.gift/vocabularies/http/")
LBLOD_BESLUIT = Namespace("http://lblod.data.gift/vocabularies/besluit/")
SCHEMA = Namespace("http://schema.org/")
EXT = Namespace("http://mu.semte.ch/vocabularies/ext/")
QB = Namespace("http://purl.org/linked-data/cube#")

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
