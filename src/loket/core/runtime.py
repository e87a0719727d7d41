"""What a long-running process of the Loket does to its interpreter once it is loaded: the gunicorn workers
(`loket.wsgi`) and `manage.py worker` (not `--batch`).

The cyclic garbage collector. CPython's defaults (700, 10, 10) start a young collection whenever 700 more container
objects are alive than at the last one; the objects that survive it are promoted and walked again by every older
collection, and a full collection walks every object of the process (about 200,000 once the pages have been served).
In-process, with the load test's requests (bench/README.md, "The garbage collector"), collections took 4.7–5.0 % of
the requests' CPU with the defaults and 1.9–2.2 % with (10000, 10, 10) and what is loaded frozen. `gc.freeze()` moves
every object alive at that moment (Django, the apps' modules and models) into a generation no collection walks (the
`gc` documentation presents it for forking servers' shared memory; here it keeps the collections off what is loaded,
and `gc.collect()` first keeps garbage out of it). Nothing leaks by it: a frozen object is still freed when
its last reference goes; only a reference cycle among frozen objects would stay. Setting: LOKET_GC_THRESHOLDS."""

import gc

from django.conf import settings


def tune_garbage_collector() -> str:
    """Collect once, freeze what is alive, set the thresholds of settings.LOKET_GC_THRESHOLDS. Returns what it did,
    for the process's log."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*settings.LOKET_GC_THRESHOLDS)
    return f"garbage collector: thresholds {gc.get_threshold()}, {gc.get_freeze_count()} objects frozen"
