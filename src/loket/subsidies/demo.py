"""Demo definitions for `load_demo`: the 7 real criteria and the demo offer (a call for gemeenten and OCMW's with a
2-step flow). Idempotent."""

from pathlib import Path

from loket.subsidies.loader import definitions_load

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def subsidies_demo_load() -> str:
    criteria = definitions_load(path=FIXTURES / "criteria.ttl")
    demo = definitions_load(path=FIXTURES / "demo.ttl")
    return f"{criteria.criteria} criteria, {demo.offers} aanbod, {demo.calls} reeks, {demo.steps} stappen"
