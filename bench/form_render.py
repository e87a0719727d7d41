"""CPU time of the form engine's `render_form` alone, on the forms of the golden-file test (issue 18 item 4).

    .venv/bin/python bench/form_render.py [--runs 15] [--number 20]

The cases are those of tests/forms/test_render_golden.py (the same data, so what is timed is what is pinned): the
load test's page (Toezicht v1, which bench/locust/run.py configures, for a besluitenlijst: as a new concept, empty;
after a save, filled; with validation errors), the same on today's form v2, and the form with every display type.
Each run times `--number` renders with `time.process_time` (CPU, not wall time); printed: the median and the
spread of the per-render times over `--runs`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402
from tests.forms.test_render_golden import CASES  # noqa: E402

from loket.forms.render import render_form  # noqa: E402

NAMES = (
    "toezicht-v1-empty",
    "toezicht-v1-filled",
    "toezicht-v1-invalid",
    "toezicht-v2-besluitenlijst-empty",
    "toezicht-v2-besluitenlijst-filled",
    "toezicht-v2-besluitenlijst-invalid",
    "every-widget-filled",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--number", type=int, default=20)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; {args.runs} runs of {args.number} renders")
    with translation.override("nl"):
        for name in NAMES:
            case = CASES[name]("nl")
            render_form(case.definition, case.context, case.node, case.report)  # warm: templates, code lists
            samples = []
            for _ in range(args.runs):
                start = time.process_time()
                for _ in range(args.number):
                    render_form(case.definition, case.context, case.node, case.report)
                samples.append((time.process_time() - start) * 1000 / args.number)
            print(
                f"{name:<40} median {statistics.median(samples):7.2f} ms CPU"
                f"   (min {min(samples):.2f}, max {max(samples):.2f})"
            )


if __name__ == "__main__":
    main()
