"""Fault injection: kill -9 of PostgreSQL while 20 sends run, then a restart (issue 18 item 1), for the three kinds
of secure send: Toezicht submissions, BBC-DR reports and subsidy steps (tests/faults/pg_kill_sends.py: what each kind
prepares and what it checks afterwards).

Reuses the rig of `make faults` (tests/faults/rig.py: a throwaway cluster from tests/support/pgcluster.py, migrated).
Each round takes one kind in turn, prepares 20 items ready to send, and 20 clients (threads, each with its own
database connection) post the send page at the same moment through the whole Django stack with DEBUG off
(middleware, access rule, view, service, error handler). While they run, the postmaster and its backends get SIGKILL:
once a random number k (1 to 18) of clients was told "verstuurd", after a random moment up to 50 ms more, so the kill
falls at a random point of the sends' progress (a fixed delay let all 20 finish on a fast machine and none on a slow
one). The cluster is then started again (crash recovery). Checked per item:

- sent: one ledger entry that it names, a receipt that verifies, the work it queues once (each kind's check);
  otherwise the concept it was, without them;
- a client was told "verstuurd" (the kind's success message) only for a sent one;
- no client got a debug/traceback page or a bare one (a 500 while the server is down, a 400 when the session could
  not be saved after a send committed: the Loket's pages that say what was sent stays sent), no 5xx before the kill;
  what the clients got is counted;
- the first request after the restart, on a connection kept open across the kill, is answered;
- `manage.py ledger verify` exits 0.

`python -m tests.faults.pg_kill [--rounds N] [--seed S] [--kinds toezicht,bbcdr,subsidies]` (`make faults-pg`);
tests/faults/test_pg_kill.py runs one round of each kind in CI. Prints how long each round took and, per kind, how
many items were sent and how many stayed concepts."""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.faults.pg_kill_sends import CLIENTS, KINDS, Kind, Send
from tests.faults.rig import ROOT, Rig

# What the Loket's error pages (templates/400.html, 500.html) tell a clerk whose send may or may not have gone through
ERROR_PAGE = "Kijk dan eerst in de lijst"


@dataclass
class RoundResult:
    kind: str
    seconds: float = 0.0
    preparing: float = 0.0  # of which: the 20 items made ready to send
    sent: int = 0
    concept: int = 0
    answers: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    problems: list[str] = field(default_factory=list)


def _setup_django(rig: Rig) -> None:
    from loket.reports import samples

    os.environ.update(rig.env)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "loket.settings",
            "DEBUG": "0",
            "LOKET_TOEZICHT_FORM": "toezicht-v1.ttl",
            "ALLOWED_HOSTS": "testserver",
            # BBC-DR checks its files against the Loket's test taxonomy and XML schema (as its tests do)
            "LOKET_BBCDR_TAXONOMY_DIR": str(samples.SAMPLE_TAXONOMY_DIR),
            "LOKET_BBCDR_XSD": json.dumps({samples.XML_NAMESPACE: str(samples.SAMPLE_XSD)}),
        }
    )
    import django

    django.setup()


def _post(client, send: Send, success: str, answers: dict) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    try:
        response = client.post(send.url, send.data)
        queued = [str(m) for m in getattr(response.wsgi_request, "_messages", [])._queued_messages]
        body = response.content.decode("utf-8", "replace") if response.status_code >= 400 else ""
        answers[send.key] = (response.status_code, any(success in m for m in queued), body, time.monotonic())
    except Exception as error:  # the stack itself raised: that would be a bug of its own
        answers[send.key] = (-1, False, repr(error), time.monotonic())
    finally:
        connection.close()


def _kill_at_a_random_point(rig: Rig, answers: dict, rng: random.Random) -> float:  # type: ignore[type-arg]
    """SIGKILL once k clients (random, 1 to CLIENTS - 2) were told "verstuurd", and a random moment up to 50 ms
    more: a random point of the sends' progress, whatever the machine's speed. Waits at most 30 s."""
    told_wanted = rng.randint(1, CLIENTS - 2)
    jitter = rng.uniform(0.0, 0.05)
    give_up = time.monotonic() + 30
    while time.monotonic() < give_up:
        current = list(answers.values())
        if sum(1 for answer in current if answer[1]) >= told_wanted or len(current) == CLIENTS:
            break
        time.sleep(0.002)
    time.sleep(jitter)
    killed_at = time.monotonic()
    rig.cluster.kill()
    return killed_at


def run_round(rig: Rig, kind: Kind, round_number: int, rng: random.Random) -> RoundResult:
    from django.db import close_old_connections, connection
    from django.test import Client

    result = RoundResult(kind.name)
    started = time.monotonic()
    sends = kind.prepare(round_number)
    result.preparing = time.monotonic() - started
    clients = []
    for send in sends:
        client = Client(raise_request_exception=False)
        client.force_login(send.user)
        clients.append(client)
    connection.ensure_connection()  # a server process's persistent connection (CONN_MAX_AGE), open across the kill
    answers: dict = {}  # type: ignore[type-arg]
    threads = [
        threading.Thread(target=_post, args=(client, send, kind.success, answers))
        for client, send in zip(clients, sends, strict=True)
    ]
    for thread in threads:
        thread.start()
    killed_at = _kill_at_a_random_point(rig, answers, rng)
    for thread in threads:
        thread.join(timeout=60)
    rig.cluster.start()
    result.problems += _first_request_after_restart(clients[0], sends[0].url)
    close_old_connections()
    connection.close()
    result.problems += _check(kind, sends, answers, result, killed_at)
    verify = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "ledger", "verify"],
        cwd=ROOT,
        env=rig.env,
        capture_output=True,
        text=True,
    )
    if verify.returncode != 0:
        output = verify.stdout[-500:] + verify.stderr[-500:]
        result.problems.append(f"ledger verify exited {verify.returncode}: {output}")
    result.seconds = time.monotonic() - started
    return result


def _first_request_after_restart(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The first request a server process handles once the database is back, on the connection it kept open
    across the kill, through the WSGI handler as gunicorn calls it (the test client skips the request_started
    connection check): it must be answered, not fail on the dead connection."""
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    environ = RequestFactory()._base_environ(
        PATH_INFO=url,
        REQUEST_METHOD="GET",
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    )
    answer: list[str] = []
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: answer.append(status))
    response.close()
    if not answer or answer[0].startswith("5"):
        return [f"the first request after the restart was answered {answer[0] if answer else 'not at all'}"]
    return []


def _check(kind: Kind, sends: list[Send], answers: dict, result: RoundResult, killed_at: float) -> list[str]:  # type: ignore[type-arg]
    """What each client was answered against what the kind finds stored after the restart."""
    problems = []
    outcomes = kind.check([send.key for send in sends])
    for send in sends:
        key = f"{kind.name} {send.key}"
        outcome = outcomes[send.key]
        status, told_sent, body, answered_at = answers.get(send.key, (None, False, "no answer", 0.0))
        result.answers[f"{status} told sent" if told_sent else str(status)] += 1
        if status == -1 or status is None:
            problems.append(f"{key}: the client got no response: {body[:300]}")
        if "Traceback" in body or "technical_500" in body or "Exception Value" in body:
            problems.append(f"{key}: the client got a traceback page ({status})")
        elif status is not None and (status == 400 or status >= 500) and ERROR_PAGE not in body:
            problems.append(f"{key}: the client got a bare error page ({status}): {body.strip()[:200]}")
        if status is not None and status >= 500 and answered_at < killed_at:
            problems.append(f"{key}: a {status} before the database went down")
        if outcome.sent:
            result.sent += 1
        else:
            result.concept += 1
            if told_sent:
                problems.append(f"{key}: the client was told 'verstuurd' but it is still a concept")
        problems += [f"{kind.name} {problem}" for problem in outcome.problems]
    return problems


def run_many(rounds: int, seed: int, report, kinds: list[str]) -> list[RoundResult]:  # type: ignore[no-untyped-def]
    """`rounds` rounds, the kinds in turn."""
    rng = random.Random(seed)
    rig = Rig()
    try:
        _setup_django(rig)
        results = []
        for number in range(1, rounds + 1):
            result = run_round(rig, KINDS[kinds[(number - 1) % len(kinds)]], number, rng)
            report(
                f"round {number} ({result.kind}): {result.seconds:.1f} s ({result.preparing:.1f} s preparing), "
                f"{result.sent} sent, {result.concept} concepts, answers {dict(result.answers)}, "
                f"problems {len(result.problems)}"
            )
            for problem in result.problems:
                report(f"  {problem}")
            results.append(result)
        return results
    finally:
        rig.close()


def summary(results: list[RoundResult], seconds: float) -> list[str]:
    lines = []
    for name in KINDS:
        mine = [r for r in results if r.kind == name]
        if mine:
            lines.append(
                f"{name}: {len(mine)} rounds, {sum(r.sent for r in mine)} sent, {sum(r.concept for r in mine)} "
                f"concepts, {sum(len(r.problems) for r in mine)} problems"
            )
    problems = sum(len(r.problems) for r in results)
    lines.append(
        f"{len(results)} rounds of {CLIENTS} sends with a PostgreSQL kill -9 in {seconds:.1f} s "
        f"(longest round {max(r.seconds for r in results):.1f} s); {sum(r.sent for r in results)} sent, "
        f"{sum(r.concept for r in results)} concepts; {problems} problems"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("FAULT_PG_ROUNDS", "15")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FAULT_SEED", "18")))
    parser.add_argument("--kinds", default=",".join(KINDS), help="which sends, in turn (default: all three)")
    arguments = parser.parse_args()
    kinds = [name.strip() for name in arguments.kinds.split(",") if name.strip()]
    unknown = [name for name in kinds if name not in KINDS]
    if unknown or not kinds:
        parser.error(f"unknown kind(s) {unknown}; choose from {', '.join(KINDS)}")
    started = time.monotonic()
    results = run_many(arguments.rounds, arguments.seed, report=print, kinds=kinds)
    for line in summary(results, time.monotonic() - started):
        print(line)
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
