"""A task for tests/core/test_worker_threads.py only: it records its start and end in files and holds its thread
until the test lets it go (a file named `release`) or its time is up."""

import time
from pathlib import Path

from django_tasks import task


@task()
def hold(*, name: str, directory: str, seconds: float) -> str:
    base = Path(directory)
    with (base / f"{name}.runs").open("a") as runs:  # one line per run: "exactly once" is one line
        runs.write(f"{time.time()!r}\n")
    deadline = time.monotonic() + seconds
    while not (base / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    (base / f"{name}.end").write_text(repr(time.time()))
    return name
