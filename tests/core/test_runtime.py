"""core.runtime: the garbage collector of the long-running processes (the gunicorn workers' `loket.wsgi` and
`manage.py worker`), and LOKET_GC_THRESHOLDS refused with a clear message when it is not three whole numbers."""

import gc
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from loket.core.runtime import tune_garbage_collector

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def _python(code: str, **environment: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if name != "LOKET_GC_THRESHOLDS"}
    env.update(PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="loket.settings", **environment)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@override_settings(LOKET_GC_THRESHOLDS=(12345, 7, 3))
def test_tuning_freezes_what_is_alive_and_sets_the_thresholds(restored_collector):  # type: ignore[no-untyped-def]
    gc.unfreeze()
    kept = [object() for _ in range(3)], {"a": [1, 2]}
    said = tune_garbage_collector()
    frozen = gc.get_freeze_count()
    assert gc.get_threshold() == (12345, 7, 3)
    assert frozen > 1000  # the loaded modules, not only the few objects above
    assert not any(kept[1] is obj for obj in gc.get_objects())  # frozen: no generation holds it any more
    told = re.fullmatch(r"garbage collector: thresholds \(12345, 7, 3\), (\d+) objects frozen", said)
    assert told is not None
    # what it said is the count it froze; frozen objects freed by their last reference since leave it
    assert frozen - 10_000 < int(told.group(1)) < frozen + 10_000


def test_a_gunicorn_worker_loading_the_application_is_tuned() -> None:
    done = _python("import gc, loket.wsgi; print(gc.get_threshold(), gc.get_freeze_count())")
    assert done.returncode == 0, done.stderr
    thresholds, frozen = done.stdout.strip().rsplit(" ", 1)
    assert thresholds == "(10000, 10, 10)"
    assert int(frozen) > 10000  # Django and every app loaded by the application


def test_the_thresholds_come_from_the_environment() -> None:
    done = _python("import gc, loket.wsgi; print(gc.get_threshold())", LOKET_GC_THRESHOLDS="2000,5,5")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(2000, 5, 5)"


@pytest.mark.parametrize("value", ["10000", "10000,10,x", "0,10,10", "10000,-1,10", ""])
def test_thresholds_that_are_not_three_whole_numbers_stop_the_start_with_a_message(value: str) -> None:
    done = _python("import loket.wsgi", LOKET_GC_THRESHOLDS=value)
    assert done.returncode != 0
    assert "LOKET_GC_THRESHOLDS must be three whole numbers such as 10000,10,10" in done.stderr
    assert "Traceback" in done.stderr and "ImproperlyConfigured" in done.stderr
