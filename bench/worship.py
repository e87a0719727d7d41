"""Benchmark of the worship module at the issue's size: the nightly involvement report, dispatching worship decisions,
a municipality's inbox with 30 boards, and re-dispatching one unit's decisions.

Run: `.venv/bin/python bench/worship.py [--reset] [--runs 50]` (prints numbers; not a timed test).
Uses the PostgreSQL database `loket_bench_worship` on 127.0.0.1 (created when missing; `DATABASE_URL` wins). It loads
the real organisations (every worship board, central board and representative body becomes a unit, 2,318 with the
13 representative bodies of the file), gives them religions, central boards and representative bodies, 2,400
involvements and 7,500 minister positions, and 10,000 sent worship decisions (idempotent; `--reset` rebuilds).
Board-member rows (40,000) are generated when the board-member model exists (see `generate_board_members`).
Targets: report < 10 s; dispatching 10,000 decisions < 60 s; inbox p95 < 50 ms; re-dispatch of 200 decisions < 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import sys
import time
import warnings
from datetime import timedelta
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_worship")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))

SEED = 20261205
DECISIONS = 10_000
INVOLVEMENTS = 2_400
POSITIONS = 7_500
INBOX_BOARDS = 30
REDISPATCH_DECISIONS = 200
BUDGET_TO_SUPERVISOR = "https://data.vlaanderen.be/id/concept/BesluitType/d85218e2-a75f-4a30-9182-512b5c9dd1b2"
BUDGET_TO_CB_OR_RO = "https://data.vlaanderen.be/id/concept/BesluitType/d463b6d1-c207-4c1a-8c08-f2c7dd1fa53b"


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load_units() -> None:
    from django.conf import settings

    from loket.organisations.importer import import_organisations
    from loket.supervision.codelists import document_types_load
    from loket.worship.models import WorshipUnit
    from loket.worship.periods import board_periods_create
    from loket.worship.services import worship_units_sync

    if WorshipUnit.objects.exists():
        return
    data = settings.REPO_DIR / "data"
    import_organisations(data / "organisations.csv", statuses=data / "organisations-status.csv", target_group=None)
    document_types_load()
    worship_units_sync()
    _relations()
    board_periods_create()


def _relations() -> None:
    """Religions (as the real shares: mostly Catholic), central boards for Catholic boards, representative bodies."""
    from loket.worship.models import WorshipUnit

    rng = random.Random(SEED)
    units = list(WorshipUnit.objects.order_by("pk"))
    bodies = [u for u in units if u.kind == "representative_body"]
    centrals = [u for u in units if u.kind == "central_board"]
    religions = (
        ["rooms-katholiek"] * 85
        + ["protestants"] * 5
        + ["islamitisch"] * 5
        + ["orthodox"] * 3
        + [
            "anglicaans",
            "israelitisch",
        ]
    )
    for unit in units:
        unit.religion = "rooms-katholiek" if unit.kind == "central_board" else rng.choice(religions)
        if unit.kind != "representative_body":
            unit.representative_body = rng.choice(bodies) if bodies else None
        if unit.kind == "board" and unit.religion == "rooms-katholiek" and centrals:
            unit.central_board = centrals[unit.pk % len(centrals)]
    WorshipUnit.objects.bulk_update(units, ["religion", "representative_body", "central_board"], batch_size=1000)


def load_involvements_and_positions() -> None:
    from loket.organisations.models import Organisation
    from loket.worship.codes import FUNCTIONS_BY_RELIGION, PROVINCE_ORGANISED
    from loket.worship.models import Involvement, MinisterPosition, WorshipUnit

    if Involvement.objects.exists():
        return
    rng = random.Random(SEED + 1)
    municipalities = list(Organisation.objects.filter(kind__category="municipality").order_by("pk"))
    provinces = list(Organisation.objects.filter(kind__category="province").order_by("pk")) or municipalities[:5]
    units = list(WorshipUnit.objects.exclude(kind="representative_body").order_by("pk"))
    rows: list[Involvement] = []
    for unit in units:
        if unit.religion in PROVINCE_ORGANISED:
            rows.append(
                Involvement(unit=unit, organisation=rng.choice(provinces), type="toezichthoudend", percentage=100)
            )
        else:
            rows.append(
                Involvement(unit=unit, organisation=rng.choice(municipalities), type="toezichthoudend", percentage=100)
            )
    extra = INVOLVEMENTS - len(rows)
    for unit in rng.sample(
        [u for u in units if u.kind == "board" and u.religion not in PROVINCE_ORGANISED], max(extra, 0)
    ):
        first = next(r for r in rows if r.unit_id == unit.pk)
        first.percentage = 60
        other = rng.choice([m for m in municipalities if m.pk != first.organisation_id])
        rows.append(Involvement(unit=unit, organisation=other, type="mede-financierend", percentage=40))
        unit.is_cross_border = True
    for broken in rng.sample(rows, 60):  # data as it came in around the rules: the report must find them
        broken.percentage = 99.99
    Involvement.objects.bulk_create(rows, batch_size=2000)
    WorshipUnit.objects.bulk_update([u for u in units if u.is_cross_border], ["is_cross_border"], batch_size=1000)
    positions: list[MinisterPosition] = []
    boards = [u for u in units if u.kind == "board"]
    while len(positions) < POSITIONS:
        unit = boards[len(positions) % len(boards)]
        functions = sorted(FUNCTIONS_BY_RELIGION[unit.religion])
        positions.append(MinisterPosition(unit=unit, function=functions[len(positions) % len(functions)]))
    MinisterPosition.objects.bulk_create(positions, batch_size=2000)


BOARD_MEMBERS = 40_000


def generate_board_members() -> str:
    """40,000 board-member rows over the boards' mandates (persons made through the persons app's service)."""
    from datetime import date

    from django.utils import timezone

    from loket.persons.services import person_create
    from loket.worship.models import BoardMember, Mandate

    if BoardMember.objects.exists():
        return f"{BoardMember.objects.count()} board members (kept)"
    mandates = list(Mandate.objects.filter(unit__kind="board").order_by("unit_id", "start", "role"))
    people = [
        person_create(
            given_names=f"Lid{n}",
            family_name="Bench",
            birth_date=date(1960, 1, 1),
            sex="",
            nationality="BE",
            actor=None,
        )
        for n in range(2_000)
    ]
    now = timezone.now()
    rows = [
        BoardMember(
            unit_id=mandate.unit_id,
            mandate=mandate,
            person=people[index % len(people)],
            start=mandate.start,
            planned_end=mandate.planned_end,
            email="lid@example.org",
            phone="1",
            street="Kerkstraat",
            house_number="1",
            postcode="1000",
            municipality_name="Brussel",
            created_at=now,
            modified_at=now,
        )
        for index, mandate in enumerate((mandates * (BOARD_MEMBERS // len(mandates) + 1))[:BOARD_MEMBERS])
    ]
    BoardMember.objects.bulk_create(rows, batch_size=5000)
    return f"{len(rows)} board members generated"


def inbox_municipality():  # type: ignore[no-untyped-def]
    """The municipality that supervises INBOX_BOARDS boards (set up once)."""
    from loket.organisations.models import Organisation
    from loket.worship.models import Involvement, WorshipUnit

    municipality = Organisation.objects.filter(kind__category="municipality").order_by("pk").first()
    boards = list(
        WorshipUnit.objects.filter(kind="board", religion="rooms-katholiek", is_cross_border=False).order_by("pk")[
            :INBOX_BOARDS
        ]
    )
    Involvement.objects.filter(unit__in=boards, type="toezichthoudend").update(organisation=municipality)
    return municipality, boards


def make_decisions(organisations: list, count: int, type_uris: list[str]) -> list[int]:  # type: ignore[type-arg]
    """`count` sent (not yet delivered) decisions of the given senders; returns their ids."""
    from django.utils import timezone

    from loket.supervision.models import DocumentType, Submission

    types = {uri: DocumentType.objects.get_or_create(uri=uri, defaults={"label": uri})[0] for uri in type_uris}
    now = timezone.now()
    rows = []
    for index in range(count):
        moment = now - timedelta(minutes=index)
        rows.append(
            Submission(
                organisation=organisations[index % len(organisations)],
                document_type=types[type_uris[index % len(type_uris)]],
                status=Submission.Status.SENT,
                form_version="bench",
                created_at=moment,
                modified_at=moment,
                sent_at=moment,
                content_hash=hashlib.sha256(str(index).encode()).hexdigest(),
            )
        )
    return [s.pk for s in Submission.objects.bulk_create(rows, batch_size=2000)]


def measure_dispatch(municipality, boards) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from loket.supervision.models import Submission
    from loket.supervision.services import submission_deliver
    from loket.worship.dispatch import submission_dispatch
    from loket.worship.models import WorshipUnit

    if Submission.objects.filter(form_version="bench").exists():
        print("dispatch: decisions exist already (run with --reset to measure dispatching again)")
        return
    rng = random.Random(SEED + 2)
    senders = [u.organisation for u in WorshipUnit.objects.filter(kind="board").select_related("organisation")]
    rng.shuffle(senders)
    # The inbox municipality's 30 boards send a share of them (a realistic year of budgets and accounts).
    senders = [b.organisation for b in boards] * 10 + senders
    ids = make_decisions(senders, DECISIONS, [BUDGET_TO_SUPERVISOR, BUDGET_TO_CB_OR_RO])
    decisions = list(Submission.objects.filter(pk__in=ids).select_related("organisation__kind", "document_type"))
    started = time.perf_counter()
    memo: dict = {}  # type: ignore[type-arg]
    for chunk in range(0, len(decisions), 500):  # one commit per 500 (a commit per decision costs an fsync each)
        with transaction.atomic():
            for decision in decisions[chunk : chunk + 500]:
                submission_dispatch(decision, memo=memo)
    took = time.perf_counter() - started
    print(
        f"dispatch: {len(ids)} decisions dispatched in {took:.1f} s (budget 60 s), {1000 * took / len(ids):.1f} ms "
        "each, committed per 500"
    )
    started = time.perf_counter()
    for pk in ids:
        submission_deliver(submission_id=pk)
    took = time.perf_counter() - started
    print(
        f"delivery (ledger entry + dispatch hook) of the same {len(ids)}: {took:.1f} s, "
        f"{1000 * took / len(ids):.1f} ms each"
    )


def measure_report() -> None:
    from loket.worship.services import involvement_report_create

    report = involvement_report_create()
    print(
        f"nightly report: {report.unit_count} units judged, {len(report.rows)} with problems, {report.seconds:.2f} s "
        "(budget 10 s)"
    )


def measure_inbox(municipality, runs: int) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from loket.accounts.models import Membership, User
    from loket.accounts.roles import Role
    from loket.accounts.services import membership_grant

    user, _ = User.objects.get_or_create(username="bench-worship-supervisor")
    if not Membership.objects.filter(user=user, is_active=True).exists():
        membership_grant(
            user=user,
            organisation=municipality,
            roles=[Role.SUPERVISOR],
            actor=None,
            source=Membership.Source.DEVELOPMENT,
        )
    client = Client()
    client.force_login(user)
    samples = []
    for index in range(runs + 3):
        started = time.perf_counter()
        response = client.get("/toezichthouder/inzendingen/")
        took = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if index >= 3:
            samples.append(took)
    rows = response.content.decode().count("/toezichthouder/inzendingen/")
    print(
        f"inbox of {municipality.name} ({INBOX_BOARDS} boards): p50 {statistics.median(samples):.1f} ms, "
        f"p95 {percentile(samples, 0.95):.1f} ms (budget 50 ms), {runs} runs, {rows} inbox links on the page"
    )


def measure_redispatch() -> None:

    from loket.supervision.models import Submission
    from loket.supervision.services import submission_deliver
    from loket.worship.dispatch import unit_redispatch
    from loket.worship.models import WorshipUnit

    unit = WorshipUnit.objects.filter(kind="board").order_by("-pk").select_related("organisation").first()
    have = Submission.objects.filter(organisation=unit.organisation).count()
    if have < REDISPATCH_DECISIONS:
        for pk in make_decisions([unit.organisation], REDISPATCH_DECISIONS - have, [BUDGET_TO_SUPERVISOR]):
            submission_deliver(submission_id=pk)
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        counts = unit_redispatch(unit=unit, actor=None, reason="bench")
        samples.append(time.perf_counter() - started)

    print(
        f"re-dispatch of one unit: {counts['decisions']} decisions in p50 {statistics.median(samples):.2f} s, "
        f"max {max(samples):.2f} s (budget 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    prepare_database(reset=args.reset, script="bench/worship.py")
    setup_django()
    from loket.worship.models import Involvement, MinisterPosition, WorshipUnit

    started = time.perf_counter()
    load_units()
    load_involvements_and_positions()
    municipality, boards = inbox_municipality()
    try:
        print("board members:", generate_board_members())
    except ImportError:
        print("board members: not generated (the persons app is not installed)")
    print(
        f"data: {WorshipUnit.objects.count()} units, {Involvement.objects.count()} involvements, "
        f"{MinisterPosition.objects.count()} positions ({time.perf_counter() - started:.1f} s to prepare)"
    )
    print(f"machine load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    measure_report()
    measure_dispatch(municipality, boards)
    measure_inbox(municipality, args.runs)
    measure_redispatch()


if __name__ == "__main__":
    main()
