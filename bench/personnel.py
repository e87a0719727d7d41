"""Benchmark of Personeelsbeheer at the issue's size: 1,300 bodies × 2 datasets × 7 periods × 48 cells (873,600
observations), on PostgreSQL.

Run: `.venv/bin/python bench/personnel.py [--reset] [--runs 100] [--bodies 1300]` (prints numbers; not a test).
Uses the PostgreSQL database `loket_bench_personnel` on 127.0.0.1 (created when missing; `DATABASE_URL` wins).
Targets: the table page p95 < 50 ms; saving a full table (96 cells, all rules, history) p95 < 100 ms; the agency's
CSV of one period < 5 s. (The issue names `bench/personnel_subsidies.py`; the subsidies half measures itself.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_personnel")

YEARS = range(2020, 2027)
GEMEENTE = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001"
AGENCY = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/bench-agency"


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def load(bodies: int) -> None:
    from django.db import connection

    from loket.organisations.models import Organisation, OrganisationKind
    from loket.personnel.models import Observation
    from loket.personnel.services import period_open

    kind = OrganisationKind.objects.get_or_create(
        uri=GEMEENTE, defaults={"label": "Gemeente", "category": "municipality"}
    )[0]
    agency_kind = OrganisationKind.objects.get_or_create(
        uri=AGENCY, defaults={"label": "Agentschap Binnenlands Bestuur", "category": "agency"}
    )[0]
    Organisation.objects.get_or_create(
        uri="http://data.lblod.info/id/bestuurseenheden/bench-agency", defaults={"name": "ABB", "kind": agency_kind}
    )
    have = Organisation.objects.filter(kind=kind).count()
    Organisation.objects.bulk_create(
        [
            Organisation(uri=f"http://data.lblod.info/id/bestuurseenheden/bench-{i}", name=f"Bench {i}", kind=kind)
            for i in range(have, bodies)
        ]
    )
    for year in YEARS:
        period_open(year=year)
    if not Observation.objects.filter(value=None).exists():
        return
    with connection.cursor() as cursor:  # whole heads; FTE = heads (Voltijds) or half of it (Deeltijds)
        cursor.execute(
            """UPDATE personnel_observation o SET value = CASE WHEN d.unit = 'koppen'
                    THEN (o.cell % 7) + (d.organisation_id % 5)
                    ELSE ((o.cell % 7) + (d.organisation_id % 5)) * CASE WHEN o.cell % 8 < 4 THEN 1 ELSE 0.5 END END
               FROM personnel_employeeperiodslice s JOIN personnel_employeedataset d ON d.id = s.dataset_id
               WHERE s.id = o.slice_id"""
        )
    connection.commit() if not connection.get_autocommit() else None


def _user(username: str, organisation):  # type: ignore[no-untyped-def]
    from loket.accounts.models import User
    from loket.accounts.roles import Role
    from loket.accounts.services import membership_grant

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username, first_name="Bench", last_name=username, email=f"{username}@x.invalid"
        )
        membership_grant(user=user, organisation=organisation, roles=[Role.PERSONEEL], actor=None, source="development")
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--bodies", type=int, default=1300)
    args = parser.parse_args()
    prepare_database(reset=args.reset, script="bench/personnel.py")
    setup_django()
    started = time.perf_counter()
    load(args.bodies)
    print(f"load: {time.perf_counter() - started:.1f} s")

    from django.test import Client
    from django.urls import reverse

    from loket.organisations.models import Organisation
    from loket.personnel.dimensions import CELLS
    from loket.personnel.models import Observation

    print(f"observations: {Observation.objects.count():,}")
    body = Organisation.objects.get(uri="http://data.lblod.info/id/bestuurseenheden/bench-7")
    client = Client()
    client.force_login(_user("bench-clerk", body))
    url = reverse("personnel:table", args=[2026])
    client.get(url)
    samples = []
    for _ in range(args.runs):
        began = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 200
    print(f"table page: p50 {percentile(samples, 0.5) * 1000:.1f} ms, p95 {percentile(samples, 0.95) * 1000:.1f} ms")

    samples = []
    for run in range(args.runs):
        heads = 3 + run % 2  # every run changes all 96 cells
        data = {"actie": "bewaren"}
        for cell in CELLS:
            data[f"koppen-{cell.index}"] = str(heads)
            data[f"vte-{cell.index}"] = str(heads) if cell.is_full_time else "1,5"
        began = time.perf_counter()
        response = client.post(url, data)
        samples.append(time.perf_counter() - began)
        assert response.status_code == 302, response.content[:500]
    print(
        f"save a full table (96 cells): p50 {percentile(samples, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(samples, 0.95) * 1000:.1f} ms"
    )

    agency = Organisation.objects.get(uri="http://data.lblod.info/id/bestuurseenheden/bench-agency")
    staff = Client()
    staff.force_login(_user("bench-agency", agency))
    for _ in range(3):
        began = time.perf_counter()
        response = staff.get(reverse("personnel:agency-csv", args=[2026]))
        size = sum(len(chunk) for chunk in response.streaming_content)
        elapsed = time.perf_counter() - began
    print(f"agency CSV of one period: {elapsed:.2f} s ({size / 1e6:.1f} MB)")
    began = time.perf_counter()
    response = staff.get(reverse("personnel:agency-period", args=[2026]))
    print(f"agency period page: {(time.perf_counter() - began) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
