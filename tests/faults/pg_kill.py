"""Fault injection: kill -9 of PostgreSQL while 20 Toezicht sends run, then a restart (issue 18 item 1).

Reuses the rig of `make faults` (tests/faults/rig.py: a throwaway cluster from tests/support/pgcluster.py, migrated).
Each round prepares 20 complete concepts, and 20 clients (threads, each with its own database connection) post the
confirmation page ("Versturen") at the same moment through the whole Django stack with DEBUG off (middleware,
access rule, view, service, error handler). At a random moment while they run, the postmaster and its backends get
SIGKILL; the cluster is then started again (crash recovery). Checked per submission:

- sent ⇔ a ledger entry 'sent' that the submission names (its receipt is built from it) ⇔ a delivery task;
  otherwise still a concept with no ledger entry and no delivery task;
- a client was told "verstuurd" (302 with the success message) only for a sent one;
- no client got a debug/traceback page; what the clients got is counted (a 500 while the server is down is the
  plain error page);
- `manage.py ledger verify` exits 0.

`python -m tests.faults.pg_kill [--rounds N] [--seed S]` (`make faults-pg`); tests/faults/test_pg_kill.py runs 2
rounds in CI. Prints how long each round took."""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from tests.faults.rig import ROOT, Rig

CLIENTS = 20
SUCCESS = "De inzending is verstuurd"


@dataclass
class RoundResult:
    seconds: float = 0.0
    sent: int = 0
    concept: int = 0
    answers: Counter = field(default_factory=Counter)  # type: ignore[type-arg]
    problems: list[str] = field(default_factory=list)


def _setup_django(rig: Rig) -> None:
    os.environ.update(rig.env)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "loket.settings",
            "DEBUG": "0",
            "LOKET_TOEZICHT_FORM": "toezicht-v1.ttl",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    import django

    django.setup()


def _prepare(round_number: int):  # type: ignore[no-untyped-def]
    """20 complete concepts of one municipality and a clerk with the Toezicht role."""
    from loket.accounts.roles import Role
    from loket.supervision.codelists import document_types_load
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.models import DocumentType
    from loket.supervision.services import submission_create, submission_update
    from tests.conftest import _kind, grant, make_organisation, make_user
    from tests.supervision.conftest import name_of

    document_types_load()
    kind = _kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality")
    organisation = make_organisation(
        key=f"aaaa0000-0000-0000-0000-{round_number:012d}",
        name=f"Gemeente {round_number}",
        kbo="",
        kind=kind,
        target_group=None,
    )
    clerk = make_user(f"clara-round{round_number}")
    grant(clerk, organisation, [Role.TOEZICHT])
    body = governing_bodies_of(organisation)[0]
    document_type = DocumentType.objects.get(label="Besluitenlijst")
    concepts = []
    for n in range(CLIENTS):
        concept = submission_create(organisation=organisation, actor=clerk, document_type=document_type)
        submission_update(
            submission=concept,
            actor=clerk,
            data={
                name_of(concept, "documentType"): document_type.uri,
                name_of(concept, "governingBody"): body.uri,
                name_of(concept, "sessionDate"): "2026-01-05",
                name_of(concept, "links"): f"https://example.org/besluit-{round_number}-{n}.html",
            },
        )
        concept.refresh_from_db()
        concepts.append(concept)
    return clerk, concepts


def _post(client, url: str, fingerprint: str, answers: dict, key: str) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    try:
        response = client.post(url, {"fingerprint": fingerprint})
        queued = [str(m) for m in getattr(response.wsgi_request, "_messages", [])._queued_messages]
        body = response.content.decode("utf-8", "replace") if response.status_code >= 400 else ""
        answers[key] = (response.status_code, any(SUCCESS in m for m in queued), body, time.monotonic())
    except Exception as error:  # the stack itself raised: that would be a bug of its own
        answers[key] = (-1, False, repr(error), time.monotonic())
    finally:
        connection.close()


def run_round(rig: Rig, round_number: int, rng: random.Random) -> RoundResult:
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from loket.supervision.views import _fingerprint

    result = RoundResult()
    started = time.monotonic()
    clerk, concepts = _prepare(round_number)
    clients = []
    for concept in concepts:
        client = Client(raise_request_exception=False)
        client.force_login(clerk)
        url = reverse("supervision:confirm", kwargs={"submission": concept.uuid})
        clients.append((client, url, _fingerprint(concept), str(concept.uuid)))
    connection.ensure_connection()  # a server process's persistent connection (CONN_MAX_AGE), open across the kill
    answers: dict = {}
    threads = [threading.Thread(target=_post, args=(c, u, f, answers, k)) for c, u, f, k in clients]
    for thread in threads:
        thread.start()
    # Kill while the sends run: after the first one was told "verstuurd" (on a loaded machine a send takes longer
    # than a fixed wait; a CI run once saw every round killed before any send finished), then a random moment more.
    first_sent_by = time.monotonic() + 30
    while time.monotonic() < first_sent_by and not any(answer[1] for answer in list(answers.values())):
        time.sleep(0.01)
    time.sleep(rng.uniform(0.0, 0.3))
    killed_at = time.monotonic()
    rig.cluster.kill()
    for thread in threads:
        thread.join(timeout=60)
    rig.cluster.start()
    result.problems += _first_request_after_restart(clients[0][0], clients[0][1])
    close_old_connections()
    connection.close()
    result.problems += _check(concepts, answers, result, killed_at)
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


def _check(concepts, answers: dict, result: RoundResult, killed_at: float) -> list[str]:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from loket.core.ledger_models import LedgerEntry
    from loket.supervision.models import Submission

    problems = []
    deliveries = Counter(
        (row.args_kwargs or {}).get("kwargs", {}).get("submission_id")
        for row in DBTaskResult.objects.filter(task_path__endswith="deliver_submission")
    )
    for concept in concepts:
        key = str(concept.uuid)
        stored = Submission.objects.get(pk=concept.pk)
        entries = list(LedgerEntry.objects.filter(kind="sent", subject_uri=stored.uri))
        status, told_sent, body, answered_at = answers.get(key, (None, False, "no answer", 0.0))
        result.answers[f"{status} told sent" if told_sent else str(status)] += 1
        if status == -1 or status is None:
            problems.append(f"{key}: the client got no response: {body[:300]}")
        if "Traceback" in body or "technical_500" in body or "Exception Value" in body:
            problems.append(f"{key}: the client got a traceback page ({status})")
        if status is not None and status >= 500 and answered_at < killed_at:
            problems.append(f"{key}: a {status} before the database went down")
        if stored.is_sent:
            result.sent += 1
            if len(entries) != 1 or stored.sent_entry_id != entries[0].pk:
                problems.append(f"{key}: sent, but its ledger entries are {[e.pk for e in entries]}")
            if deliveries[stored.pk] != 1:
                problems.append(f"{key}: sent, but {deliveries[stored.pk]} delivery tasks")
        else:
            result.concept += 1
            if stored.status != Submission.Status.CONCEPT:
                problems.append(f"{key}: neither sent nor a concept: {stored.status}")
            if entries or deliveries[stored.pk]:
                problems.append(f"{key}: a concept with {len(entries)} ledger entries, {deliveries[stored.pk]} tasks")
            if told_sent:
                problems.append(f"{key}: the client was told 'verstuurd' but the submission is still a concept")
    return problems


def run_many(rounds: int, seed: int, report) -> list[RoundResult]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    rig = Rig()
    try:
        _setup_django(rig)
        results = []
        for number in range(1, rounds + 1):
            result = run_round(rig, number, rng)
            report(
                f"round {number}: {result.seconds:.1f} s, {result.sent} sent, {result.concept} concepts, "
                f"answers {dict(result.answers)}, problems {len(result.problems)}"
            )
            for problem in result.problems:
                report(f"  {problem}")
            results.append(result)
        return results
    finally:
        rig.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("FAULT_PG_ROUNDS", "10")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FAULT_SEED", "18")))
    arguments = parser.parse_args()
    started = time.monotonic()
    results = run_many(arguments.rounds, arguments.seed, report=print)
    problems = sum(len(r.problems) for r in results)
    print(
        f"{len(results)} rounds of {CLIENTS} sends with a PostgreSQL kill -9 in {time.monotonic() - started:.1f} s "
        f"(longest round {max(r.seconds for r in results):.1f} s); {sum(r.sent for r in results)} sent, "
        f"{sum(r.concept for r in results)} concepts; {problems} problems"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
