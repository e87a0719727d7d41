"""Server time of the pages a person's walk through the Loket visits, with the demo data (all 3,737 real
organisations, the demo people, sent decision lists of Aalst).

Run: `.venv/bin/python bench/pages.py [--runs 20] [--submissions 30]` (prints numbers; not a timed test).
Uses the SQLite file var/bench/pages.sqlite3 (created, migrated and loaded with `manage.py load_demo` once;
`DATABASE_URL` wins, e.g. postgres://postgres@127.0.0.1:5432/loket_bench_pages). Each page is requested through
Django's full stack in-process (middleware, sessions, templates) as the person who would see it; the figure is
wall time per request, without a network. Targets: every page p95 under 300 ms, the helpdesk's organisation list
(admin changelist, unfiltered and searched) under 200 ms. The machine is shared: the header prints the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'pages.sqlite3'}")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(BENCH_DIR / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(BENCH_DIR / "media"))

TARGET_MS = 300.0
ORGANISATION_LIST_TARGET_MS = 200.0


def setup(submissions: int) -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    django.setup()
    from django.core.management import call_command

    from loket.supervision.models import Submission

    call_command("migrate", verbosity=0, interactive=False)
    if not Submission.objects.exists():
        call_command("load_demo", submissions=submissions, stdout=open(os.devnull, "w"))
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)  # delivers to the supervisor


def pages() -> list[tuple[str, str | None, str]]:
    """(label, who, path): who is a demo user's username, or None for anonymous."""
    from loket.organisations.models import Organisation
    from loket.supervision.models import Submission

    aalst = Organisation.objects.get(name="Aalst", kind__category="municipality")
    board = Organisation.objects.filter(access_manager__name="Bisdom Antwerpen").order_by("name").first()
    sent = Submission.objects.filter(organisation=aalst, status="sent").order_by("-sent_at").first()
    concept_page = "/toezicht/nieuw/"
    gert, hilde, bart = "dev:gert-gemeente", "dev:hilde-helpdesk", "dev:bart-bisdom"
    listed = [
        ("home (anonymous)", None, "/"),
        ("login page", None, "/aanmelden/"),
        ("receipt check", None, "/ontvangstbewijs/controleren/"),
        ("organisation URI (HTML)", None, f"/id/bestuurseenheden/{aalst.key}"),
        ("organisation URI (Turtle)", None, f"/id/bestuurseenheden/{aalst.key}?format=turtle"),
        ("home (clerk)", gert, "/"),
        ("module page", gert, "/modules/berichtencentrum/"),
        ("registration search 'kerkfabriek'", gert, "/toegang-aanvragen/?q=kerkfabriek"),
        ("registration search KBO", gert, "/toegang-aanvragen/?q=0207.451.227"),
        ("registration form", gert, f"/toegang-aanvragen/{board.key if board else aalst.key}/"),
        ("my requests", gert, "/mijn-aanvragen/"),
        ("toezicht list", gert, "/toezicht/"),
        ("toezicht new", gert, concept_page),
        ("access management (helpdesk)", hilde, "/toegangsbeheer/"),
        ("access management (diocese)", bart, "/toegangsbeheer/"),
        ("members of a board (diocese)", bart, f"/toegangsbeheer/besturen/{board.key}/leden/" if board else "/"),
        ("supervisor inbox", hilde, "/toezichthouder/inzendingen/"),
        ("back office index", hilde, "/helpdesk/"),
        ("back office: organisations", hilde, "/helpdesk/organisations/organisation/"),
        ("back office: organisations ?q=aalst", hilde, "/helpdesk/organisations/organisation/?q=aalst"),
        ("back office: organisations page 20", hilde, "/helpdesk/organisations/organisation/?p=20"),
        ("back office: organisations by kind", hilde, "/helpdesk/organisations/organisation/?kind__id__exact=1"),
        ("back office: organisation change", hilde, f"/helpdesk/organisations/organisation/{aalst.pk}/change/"),
        ("back office: channel switch", hilde, f"/helpdesk/organisations/organisation/{aalst.pk}/kanaal/"),
        ("back office: audit trail", hilde, "/helpdesk/core/auditevent/"),
        ("back office: audit trail ?q=aalst", hilde, "/helpdesk/core/auditevent/?q=aalst"),
        ("back office: audit trail of a body", hilde, f"/helpdesk/core/auditevent/?organisation__id__exact={aalst.pk}"),
        ("back office: audit trail page 50", hilde, "/helpdesk/core/auditevent/?p=50"),
        ("back office: memberships", hilde, "/helpdesk/accounts/membership/"),
        ("back office: access requests", hilde, "/helpdesk/accounts/accessrequest/"),
        ("back office: users", hilde, "/helpdesk/accounts/user/"),
        ("back office: submissions", hilde, "/helpdesk/supervision/submission/"),
        ("back office: submissions ?q=aalst", hilde, "/helpdesk/supervision/submission/?q=aalst"),
        ("back office: submissions page 50", hilde, "/helpdesk/supervision/submission/?p=50"),
        ("back office: governing bodies", hilde, "/helpdesk/supervision/governingbody/"),
        ("back office: document types", hilde, "/helpdesk/supervision/documenttype/"),
        ("back office: tasks", hilde, "/helpdesk/django_tasks_database/dbtaskresult/"),
    ]
    if sent is not None:
        listed += [
            ("toezicht sent detail", gert, f"/toezicht/{sent.uuid}/"),
            ("supervisor detail", hilde, f"/toezichthouder/inzendingen/{sent.uuid}/"),
            ("submission URI (HTML)", None, f"/submissions/{sent.uuid}"),
            ("submission URI (Turtle)", None, f"/submissions/{sent.uuid}?format=turtle"),
        ]
    return listed


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)


def measure(runs: int, only: str = "") -> int:
    import logging

    from django.db import connection
    from django.test import Client

    from loket.accounts.models import User

    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 404s are counted, not logged
    clients: dict[str | None, Client] = {None: Client()}
    failures = 0
    print(f"{'page':45} {'status':>6} {'queries':>7} {'median':>8} {'p95':>8} {'max':>8}  (ms)")
    for label, who, path in pages():
        if only and only not in label:
            continue
        if who not in clients:
            client = Client()
            client.force_login(User.objects.get(username=who))
            clients[who] = client
        client = clients[who]
        for _ in range(2):
            response = client.get(path)
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            response = client.get(path)
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
        target = ORGANISATION_LIST_TARGET_MS if "organisations" in label and "change" not in label else TARGET_MS
        over = p95 > target or response.status_code >= 400
        failures += over
        print(
            f"{label:45} {response.status_code:>6} {queries.count:>7} {statistics.median(samples):>8.1f} "
            f"{p95:>8.1f} {samples[-1]:>8.1f}{'  OVER ' + str(int(target)) if over else ''}"
        )
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--submissions", type=int, default=30, help="decision lists sent by Aalst on first load")
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    args = parser.parse_args()
    setup(args.submissions)
    from django.db import connection

    from loket.organisations.models import Organisation

    print(
        f"database {connection.vendor} ({connection.settings_dict['NAME']}), "
        f"{Organisation.objects.count()} organisations, load average {os.getloadavg()[0]:.2f}, runs {args.runs}"
    )
    from loket.organisations import naming

    started = time.perf_counter()
    naming._compute()
    print(
        f"display names computed (once per process per {naming.TTL_SECONDS} s): "
        f"{(time.perf_counter() - started) * 1000:.1f} ms"
    )
    failures = measure(args.runs, args.only)
    print(f"{failures} page(s) over target" if failures else "every page within target")


if __name__ == "__main__":
    main()
