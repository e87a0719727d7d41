"""The fixed CPU cost of a request in the web process, whatever the page (issue 18 item 4).

    LOKET_LOAD_DB=loket_perf_<name> .venv/bin/python bench/request_overhead.py [--runs 7] [--calls 300]
        [--profile "clerk: 404"] [--top 40]

A few cheap requests, made as gunicorn makes them: the WSGI environ of each request handed to
`loket.wsgi.application` (the production entry point: the vendor API through its lean handler, everything else
through the site's whole middleware stack), with the load test's production settings (bench/request_cpu.py's
setup: DEBUG off, whitenoise's manifest storage, PostgreSQL prepared by bench/locust/prepare.py). The vendor's
`POST /status` is also sent through the site's full stack, as request_cpu.py's test client sends it.

For each request: the median over --runs runs of the mean CPU (time.process_time) of --calls calls, and the CPU
of each middleware on its own (its time with the layers inside it taken off; "view" is URL resolving, the view
middleware hooks, the view and the template's render) as a median of the runs.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOKET_LOAD_DB", "loket_perf")

import request_cpu  # noqa: E402  its setup: the load test's environment and database


class Layers:
    """The inclusive CPU time spent in each layer of the site's middleware chain during one call."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.inclusive: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
        self.names.append(name)
        clock = time.process_time

        def timed(request: Any) -> Any:
            start = clock()
            try:
                return inner(request)
            finally:
                self.inclusive[name] += clock() - start

        return timed

    def own(self) -> dict[str, float]:
        """Each layer's own time: its inclusive time minus the next layer inward's (names are outermost first)."""
        order = list(reversed(self.names))  # wrapped innermost first
        spent = {}
        for index, name in enumerate(order):
            inner = self.inclusive[order[index + 1]] if index + 1 < len(order) else 0.0
            spent[name] = self.inclusive[name] - inner
        return spent


def instrument(handler: Any, layers: Layers) -> None:
    """Load the handler's middleware with a timer around each layer (Django's load_middleware, unchanged)."""
    from django.conf import settings
    from django.core.handlers import base

    original = base.convert_exception_to_response
    names = ["view"] + [path.rsplit(".", 1)[-1] for path in reversed(settings.MIDDLEWARE)]
    position = iter(names)

    def converting(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
        return layers.wrap(next(position), original(get_response))

    base.convert_exception_to_response = converting
    try:
        handler.load_middleware()
    finally:
        base.convert_exception_to_response = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--profile", help="cProfile one request by name")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--dump", help="also write the profile to this file")
    parser.add_argument("--no-layers", action="store_true", help="no per-middleware timers")
    arguments = parser.parse_args()
    people = request_cpu.setup()

    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    import loket.wsgi

    site = WSGIHandler()
    layers = Layers()
    if arguments.no_layers:
        site.load_middleware()
    else:
        instrument(site, layers)
    production = loket.wsgi.with_lean_vendor_api(site)  # what loket.wsgi.application is, with our site handler
    clerk = people["clerks"][0]
    csrf = people["csrf"]
    cookies = f"{settings.CSRF_COOKIE_NAME}={csrf}; {settings.SESSION_COOKIE_NAME}={clerk['session']}"
    factory = RequestFactory(SERVER_NAME="127.0.0.1", HTTP_COOKIE=cookies, HTTP_X_CSRFTOKEN=csrf)
    vendor_factory = RequestFactory(SERVER_NAME="127.0.0.1")

    # A job of the vendor's, made by POST /melding as the load test makes it; its status asked again and again (the
    # limits of 5 a minute per submission and 1,200 per vendor lifted for the bench: the throttles still count).
    import json
    import uuid

    settings.LOKET_VENDOR_STATUS_THROTTLE = settings.LOKET_VENDOR_THROTTLE = 10**9
    organisation = next(iter(people["municipalities"]))
    publisher = {"uri": people["vendor"]["uri"], "key": people["vendor"]["key"]}
    key = uuid.uuid4().hex
    melding = {
        "href": f"http://127.0.0.1:{request_cpu.run.PAGE_PORT}/p/0/{key}",
        "organization": organisation,
        "publisher": publisher,
        "submittedResource": f"http://load.example/besluiten/{key}",
        "status": request_cpu.SUBMITTABLE,
    }
    answer: list[bytes] = []
    created = vendor_factory.post("/melding", melding, content_type="application/json")
    answer.extend(production(created.environ, lambda *_: None))
    submission = json.loads(b"".join(answer))["submission"]
    status = {"submission": submission, "organization": organisation, "publisher": publisher}

    def call(app: Callable[..., Any], make: Callable[[], Any]) -> Callable[[], int]:
        def once() -> int:
            answer: list[str] = []
            body = app(make().environ, lambda status, headers, *rest: answer.append(status))
            try:
                b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
            return int(answer[0].split()[0])

        return once

    requests: dict[str, Callable[[], int]] = {
        "clerk: home": call(production, lambda: factory.get("/")),
        "clerk: 404": call(production, lambda: factory.get("/bestaat-niet/")),
        "vendor: POST /status (lean)": call(
            production, lambda: vendor_factory.post("/status", status, content_type="application/json")
        ),
        "vendor: POST /status, full stack": call(
            site, lambda: vendor_factory.post("/status", status, content_type="application/json")
        ),
    }
    # The same through Django's test client, as bench/request_cpu.py makes its requests: what the client adds.
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1", HTTP_X_CSRFTOKEN=csrf)
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    client.cookies[settings.SESSION_COOKIE_NAME] = clerk["session"]
    requests["clerk: 404 (test client)"] = lambda: client.get("/bestaat-niet/").status_code
    requests["clerk: home (test client)"] = lambda: client.get("/").status_code
    expected = {"clerk: 404 (test client)": 404, "clerk: home": 200, "clerk: 404": 404}
    for name, once in requests.items():
        code = once()
        if code != expected.get(name, 200):
            raise SystemExit(f"{name}: HTTP {code}")
        for _ in range(20):
            once()

    cpu: dict[str, list[float]] = defaultdict(list)
    own: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    profiler = cProfile.Profile(time.process_time)
    for _ in range(arguments.runs):
        for name, once in requests.items():
            layers.inclusive.clear()
            profiled = name == arguments.profile
            if profiled:
                profiler.enable()
            start = time.process_time()
            codes = {once() for _ in range(arguments.calls)}
            spent = time.process_time() - start
            if profiled:
                profiler.disable()
            if codes != {expected.get(name, 200)}:
                raise SystemExit(f"{name}: HTTP {codes}")
            cpu[name].append(spent * 1000 / arguments.calls)
            if not name.endswith(")"):
                for layer, seconds in layers.own().items():
                    own[name][layer].append(seconds * 1000 / arguments.calls)
    load = os.getloadavg()
    print(f"\nCPU ms per request, median of {arguments.runs} runs of {arguments.calls} (load {load[0]:.1f})")
    for name in requests:
        print(f"  {name:40} {statistics.median(cpu[name]):7.3f}   runs: "
              + " ".join(f"{value:.2f}" for value in cpu[name]))  # fmt: skip
    if not arguments.no_layers:
        names = [name for name in requests if not name.endswith(")")]
        print("\nown CPU ms of each layer (outermost first; view = URL resolving, view hooks, view, render)")
        print(f"  {'layer':36}" + "".join(f"{name[:22]:>24}" for name in names))
        for layer in reversed(layers.names):
            print(f"  {layer:36}" + "".join(f"{statistics.median(own[name][layer]):24.3f}" for name in names))
    if arguments.profile:
        stats = pstats.Stats(profiler)
        if arguments.dump:
            stats.dump_stats(arguments.dump)
        stats.sort_stats("cumulative").print_stats(arguments.top)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
