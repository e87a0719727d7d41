"""Benchmark of Subsidiebeheer at the issue's size: a call open to 650 bodies with a 4-step flow, on PostgreSQL.

Run: `.venv/bin/python bench/subsidies.py [--reset] [--runs 200] [--bodies 650]` (prints numbers; not a test).
Uses the PostgreSQL database `loket_bench_subsidies` on 127.0.0.1 (created when missing; `DATABASE_URL` wins).
Targets: submitting a step (the send button: save what was typed, every rule, the form engine's validation, the
ledger entry, the flow moving on) p95 < 200 ms; an extension for 300 bodies in one action (the agency's POST: 300
extensions, 300 history rows, 300 mails queued, the audit entry) < 2 s.
(The issue names `bench/personnel_subsidies.py`; each half measures itself: see bench/personnel.py.)
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
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_subsidies")

GEMEENTE = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/5ab0e9b8a3b2ca7c5e000001"
AGENCY = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/bench-agency"


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _members(bodies):  # type: ignore[no-untyped-def]
    """One member with role subsidies per body (so every extension mails every body)."""
    from django.utils import timezone

    from loket.accounts.models import Membership, MembershipRole, User
    from loket.accounts.roles import Role

    have = set(Membership.objects.filter(organisation__in=bodies).values_list("organisation_id", flat=True))
    new = [body for body in bodies if body.pk not in have]
    users = User.objects.bulk_create(
        [
            User(username=f"bench-{b.pk}", first_name="Bench", last_name=str(b.pk), email=f"b{b.pk}@x.invalid")
            for b in new
        ]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=body, source="dev", granted_at=timezone.now())
            for user, body in zip(users, new, strict=True)
        ]
    )
    MembershipRole.objects.bulk_create([MembershipRole(membership=m, role=Role.SUBSIDIES) for m in memberships])


def load(bodies: int):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone
    from tests.subsidies.conftest import make_call

    from loket.organisations.models import Organisation, OrganisationKind
    from loket.subsidies import services
    from loket.subsidies.models import Call, Dossier
    from loket.subsidies.terms import StepType

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
    municipalities = list(Organisation.objects.filter(kind=kind).order_by("pk")[:bodies])
    _members(municipalities)
    call = Call.objects.filter(title="Bench").first()
    if call is None:
        start, end = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=365)
        steps = [("Aanvraag", StepType.APPLICATION, start, end)] + [
            (f"Opvolging {n}", StepType.EXTERNAL, start, end + timedelta(days=n)) for n in range(1, 4)
        ]
        call = make_call(kinds=["5ab0e9b8a3b2ca7c5e000001"], steps=steps, title="Bench")
    started = set(Dossier.objects.filter(call=call).values_list("organisation_id", flat=True))
    for body in municipalities:
        if body.pk not in started:
            services.dossier_start(call=call, organisation=body, actor=None)
    return call, municipalities


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--bodies", type=int, default=650)
    args = parser.parse_args()
    prepare_database(reset=args.reset, script="bench/subsidies.py")
    setup_django()
    began = time.perf_counter()
    call, bodies = load(args.bodies)
    print(f"load: {time.perf_counter() - began:.1f} s")

    from django.test import Client
    from django.urls import reverse
    from tests.subsidies.conftest import report_data, valid_data

    from loket.accounts.models import User
    from loket.organisations.models import Organisation
    from loket.subsidies.models import ApplicationForm, Dossier, Step
    from loket.subsidies.terms import FormStatus

    steps = list(Step.objects.filter(flow__call=call).order_by("order"))
    dossiers = list(Dossier.objects.filter(call=call).select_related("organisation", "active_step").order_by("pk"))
    print(f"bodies: {len(bodies)}, dossiers: {len(dossiers)}, steps per flow: {len(steps)}")
    samples, sent = [], 0
    for dossier in dossiers:
        if sent >= args.runs:
            break
        step = dossier.active_step
        if step is None:
            continue
        client = Client()
        client.force_login(User.objects.get(username=f"bench-{dossier.organisation_id}"))
        url = reverse("subsidies:step", args=[dossier.uuid, step.uuid])
        client.get(url)  # opens the form (as the clerk does before typing)
        form = ApplicationForm.objects.get(dossier=dossier, step=step, is_replaced=False)
        data = {"actie": "versturen", **(valid_data(form) if step.order == 0 else report_data(form))}
        start = time.perf_counter()
        response = client.post(url, data)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 302, response.content[:800]
        sent += 1
    assert ApplicationForm.objects.filter(status=FormStatus.SENT).count() >= sent
    print(
        f"submit a step ({len(samples)} bodies): p50 {percentile(samples, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(samples, 0.95) * 1000:.1f} ms"
    )

    agency = Organisation.objects.get(uri="http://data.lblod.info/id/bestuurseenheden/bench-agency")
    staff_user = User.objects.filter(username="bench-agency").first()
    if staff_user is None:
        from loket.accounts.roles import Role
        from loket.accounts.services import membership_grant

        staff_user = User.objects.create(username="bench-agency", first_name="Bench", last_name="ABB")
        membership_grant(user=staff_user, organisation=agency, roles=[Role.SUBSIDIES], actor=None, source="dev")
    staff = Client()
    staff.force_login(staff_user)
    step = steps[-1]
    step.procedural_step.refresh_from_db()
    current = max(
        [step.procedural_step.end, *step.extensions.values_list("end", flat=True)]  # later than every body's end
    )
    from loket.subsidies import rules

    new_end = rules.brussels(current).split()  # d-m-Y H:i:s → datetime-local
    day, month, year = new_end[0].split("-")
    value = f"{int(year) + 1}-{month}-{day}T{new_end[1]}"
    chosen = [str(d.uuid) for d in dossiers[:300]]
    start = time.perf_counter()
    response = staff.post(
        reverse("subsidies:agency-extend", args=[call.uuid]),
        {"stap": str(step.uuid), "einde": value, "voor": "selectie", "bestuur": chosen, "reden": "Bench"},
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.content[:800]
    print(f"extension for {len(chosen)} bodies in one action: {elapsed * 1000:.0f} ms")
    start = time.perf_counter()
    response = staff.get(reverse("subsidies:agency-call", args=[call.uuid]))
    print(f"agency call page ({len(dossiers)} dossiers): {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    response = staff.get(reverse("subsidies:agency-csv", args=[call.uuid]))
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(f"agency CSV: {(time.perf_counter() - start) * 1000:.0f} ms ({size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
