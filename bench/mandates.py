"""Benchmark of Mandatenbeheer at the issue's size: all gemeenten, OCMW, districts and provinces with their decretal
organs, 60,000 holder versions (each holding in two versions, as after a Wijziging), on PostgreSQL.

Run: `.venv/bin/python bench/mandates.py [--reset] [--runs 50] [--versions 60000]` (prints numbers; not a test).
Uses the PostgreSQL database `loket_bench_mandates` on 127.0.0.1 (created when missing; `DATABASE_URL` wins).
Targets: validation report for one gemeente + OCMW < 1 s; all units < 5 minutes; holder list p95 < 50 ms; a
1,000-row import with validation < 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from datetime import date
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_mandates")

START, CHANGE = date(2024, 12, 2), date(2025, 6, 1)


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load(versions: int) -> None:
    from django.conf import settings

    from loket.mandates.codes import Status
    from loket.mandates.models import Holder, Mandate
    from loket.mandates.organs import decretal_organs_create
    from loket.organisations.importer import import_organisations
    from loket.organisations.models import Organisation
    from loket.persons.models import Person

    if not Organisation.objects.exists():
        data = settings.REPO_DIR / "data"
        import_organisations(data / "organisations.csv", statuses=data / "organisations-status.csv", target_group=None)
    decretal_organs_create()
    if Holder.objects.count() >= versions:
        return
    mandates = list(Mandate.objects.filter(term__period="2024").order_by("pk"))
    holdings = versions // 2
    per_mandate = max(1, holdings // len(mandates))
    persons = Person.objects.bulk_create(
        [Person(given_names=f"P{i}", used_given_name=f"P{i}", family_name=f"Bench{i}") for i in range(holdings)],
        batch_size=5000,
    )
    first, index = [], 0
    for mandate in mandates:
        for _ in range(per_mandate):
            if index >= holdings:
                break
            first.append(
                Holder(
                    person=persons[index],
                    mandate=mandate,
                    start=START,
                    end=CHANGE,
                    status=Status.EFFECTIVE,
                    rangorde="Eerste lid",
                )
            )
            index += 1
    Holder.objects.bulk_create(first, batch_size=5000)
    Holder.objects.bulk_create(
        [
            Holder(
                person_id=h.person_id,
                mandate=h.mandate,
                start=CHANGE,
                status=Status.EFFECTIVE,
                previous=h,
                rangorde="Tweede lid",
            )
            for h in first
        ],
        batch_size=5000,
    )
    for mandate in mandates:
        if mandate.seats is None:
            mandate.seats = per_mandate
    Mandate.objects.bulk_update(mandates, ["seats"], batch_size=5000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--versions", type=int, default=60_000)
    parser.add_argument("--skip-all-units", action="store_true")
    args = parser.parse_args()
    prepare_database(reset=args.reset, script="bench/mandates.py")
    setup_django()
    started = time.perf_counter()
    load(args.versions)
    print(f"load: {time.perf_counter() - started:.1f} s")

    from django.test import Client

    from loket.accounts.models import Membership, User
    from loket.accounts.roles import Role
    from loket.accounts.services import membership_grant
    from loket.mandates.codes import UNIT_MUNICIPALITY
    from loket.mandates.importer import COLUMNS, holders_import
    from loket.mandates.models import Holder, OrganTerm
    from loket.mandates.validation import findings_for, reports_all
    from loket.organisations.models import Organisation

    print(f"holder versions: {Holder.objects.count()}")
    aalst = Organisation.objects.get(name="Aalst", kind__uri=UNIT_MUNICIPALITY)
    samples = []
    for _ in range(5):
        began = time.perf_counter()
        count = len(findings_for(unit=aalst, period="2024"))
        samples.append(time.perf_counter() - began)
    print(f"validation report Aalst + OCMW: median {statistics.median(samples) * 1000:.0f} ms ({count} findings)")

    if not args.skip_all_units:
        began = time.perf_counter()
        units = reports_all(period="2024")
        print(f"validation report, all {units} units (nightly): {time.perf_counter() - began:.1f} s")

    user, _ = User.objects.get_or_create(username="bench-mandates")
    if not Membership.objects.filter(user=user, organisation=aalst, is_active=True).exists():
        membership_grant(
            user=user, organisation=aalst, roles=[Role.MANDATEN], actor=None, source=Membership.Source.DEVELOPMENT
        )
    client = Client()
    client.force_login(user)
    term = OrganTerm.objects.get(organ__organisation=aalst, organ__kind="5ab0e9b8a3b2ca7c5e000005", period="2024")
    url = f"/mandaten/organen/{term.uuid}/"
    assert client.get(url).status_code == 200
    samples = []
    for _ in range(args.runs):
        began = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - began)
    rows = Holder.objects.filter(mandate__term=term, next_version__isnull=True).count()
    print(
        f"holder list ({rows} rows): p50 {percentile(samples, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(samples, 0.95) * 1000:.1f} ms"
    )

    ninove = Organisation.objects.filter(kind__uri=UNIT_MUNICIPALITY).exclude(pk=aalst.pk).order_by("name").first()
    header = ";".join(COLUMNS)
    lines = [header] + [
        f";Imp{i};Bench{i};Gemeenteraadslid;2024-12-02;;Lijst {i % 5};Eerste gemeenteraadslid;" for i in range(1000)
    ]
    from django.db import transaction

    began = time.perf_counter()
    with transaction.atomic():
        text = "\n".join(lines)
        report = holders_import(organisation=ninove, period="2024", text=text, actor=None)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - began
        transaction.set_rollback(True)  # keep the benchmark database as it was
    print(
        f"import 1,000 rows + validation ({ninove}): {elapsed:.1f} s ({report.created} created, "
        f"{len(report.errors)} errors, {report.findings} findings)"
    )


if __name__ == "__main__":
    main()
