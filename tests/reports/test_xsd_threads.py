"""Schemas compiled in many threads at once. libxml2 2.14 sets its built-in XSD types up on a process's first
compile without a lock: threads compiling at once in a fresh process can leave every later compile in that process
failing ("the given type is not a built-in type", "not valid XML Schema") or free memory twice. CI met it when
several BBC-DR reports were checked at once. Each round is a fresh process in which Django is set up (the reports
app prepares the types) and threads, their schema documents already parsed, all compile at the same moment — the
way that makes the race likeliest: about one round in five fails without the preparation."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import loket.reports

SCHEMA = Path(loket.reports.__file__).parent / "sample_schemas" / "rapport-2025.xsd"
SAMPLE = Path(__file__).parents[1] / "fuzz" / "corpus" / "xml" / "rapport.xml"

ROUND = """
import sys, threading
import django
django.setup()
from lxml import etree
from loket.reports.checks import compile_xsd
barrier = threading.Barrier(16)
errors = []
def compile_and_validate():
    document = etree.parse(sys.argv[1])
    barrier.wait()
    try:
        schema = etree.XMLSchema(document)
        if not schema.validate(etree.parse(sys.argv[2])):
            errors.append(str(schema.error_log.last_error))
        if not compile_xsd(sys.argv[1]).validate(etree.parse(sys.argv[2])):
            errors.append("compile_xsd")
    except Exception as error:
        errors.append(repr(error))
threads = [threading.Thread(target=compile_and_validate) for _ in range(16)]
[t.start() for t in threads]
[t.join() for t in threads]
print(len(errors), errors[:1])
sys.exit(1 if errors else 0)
"""
_ENVIRONMENT = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "loket.settings")}


def _round(_number: int) -> subprocess.CompletedProcess[str]:
    arguments = [sys.executable, "-c", ROUND, str(SCHEMA), str(SAMPLE)]
    return subprocess.run(arguments, capture_output=True, text=True, timeout=120, env=_ENVIRONMENT)


def test_schemas_compiled_in_16_threads_at_once_all_compile_and_validate() -> None:
    with ThreadPoolExecutor(4) as pool:
        rounds = list(pool.map(_round, range(40)))
    failed = [(r.returncode, r.stdout[-300:], r.stderr[-300:]) for r in rounds if r.returncode != 0]
    assert failed == []
