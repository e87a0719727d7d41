"""An application form as the one form engine (`loket.forms`) sees it: the definition is the form version's Turtle
(cached by its SHA-256), the node is the application form's URI, the source graph is what the body saved."""

from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef

from loket.forms.loader import load_form_text
from loket.forms.model import FormDefinition
from loket.forms.paths import DataContext
from loket.forms.rdfio import parse_turtle_text, plain_graph, to_turtle
from loket.forms.validate import FormReport, validate_form
from loket.subsidies.models import ApplicationForm, FormVersion


@lru_cache(maxsize=64)
def _definition(sha256: str, turtle: str) -> FormDefinition:
    return load_form_text(turtle, source=f"subsidy-form@{sha256[:12]}")


def definition_of(version: FormVersion) -> FormDefinition:
    return _definition(version.sha256, version.turtle)


def node_of(form: ApplicationForm) -> URIRef:
    return URIRef(form.uri)


def context_of(form: ApplicationForm) -> DataContext:
    source = parse_turtle_text(form.source_ttl, source=form.uri) if form.source_ttl else plain_graph()
    return DataContext(source=source, meta=plain_graph())


def serialize(graph: Graph) -> str:
    return to_turtle(graph)


def canonical_ntriples(graph: Graph) -> str:
    """Sorted N-Triples (the engine's exact writer): what is hashed into the ledger entry."""
    return to_turtle(graph)


@dataclass
class Outcome:
    report: FormReport
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def validate(definition: FormDefinition, context: DataContext, node: URIRef) -> Outcome:
    report = validate_form(definition, context, node)
    outcome = Outcome(report)
    for field_report in report.fields:
        if field_report.errors:
            label = field_report.field.label or str(field_report.field.node)
            outcome.errors.setdefault(label, []).extend(field_report.errors)
    return outcome
