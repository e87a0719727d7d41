"""Benchmark of the Berichtencentrum at the issue's size: a clerk's conversation list with filters, a circular to
every municipality with one 2 MB attachment, and its notification mails handed to a real SMTP server.

Run: `.venv/bin/python bench/berichten.py [--reset] [--bodies 10000] [--runs 50]` (prints numbers; not a timed test).
Uses the PostgreSQL database `loket_bench_berichten` on 127.0.0.1 (created when missing; `DATABASE_URL` wins). It
loads the real organisations, adds synthetic bodies up to `--bodies`, and gives each 20 conversations of 5 messages
(one attachment each, from a small pool of stored files) with bulk inserts; `--reset` rebuilds.
Targets: list with filters p95 < 50 ms; circular to all municipalities (2 MB attachment, stored once) < 10 s;
its notification mails handed to SMTP < 60 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
import warnings
from datetime import timedelta
from pathlib import Path

from _postgres import prepare_database
from _stats import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_TESTING", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loket_bench_berichten")
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "bench" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "bench" / "media"))

SEED = 20261205
CONVERSATIONS_PER_BODY = 20
MESSAGES_PER_CONVERSATION = 5
KINDS = ["Kennisgeving toezichtsbeslissing", "Opvraging", "Omzendbrief", "Reactie"]


def setup_django() -> None:
    import django

    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = os.environ["LOKET_MEDIA_ROOT"]
    call_command("migrate", verbosity=0, interactive=False)


def load_bodies(total: int) -> None:
    from django.conf import settings

    from loket.organisations.importer import import_organisations
    from loket.organisations.models import Organisation, OrganisationKind

    if not Organisation.objects.exists():
        data = settings.REPO_DIR / "data"
        import_organisations(data / "organisations.csv", statuses=data / "organisations-status.csv", target_group=None)
    missing = total - Organisation.objects.exclude(kind__category=OrganisationKind.Category.AGENCY).count()
    if missing > 0:
        kind = (
            OrganisationKind.objects.filter(category=OrganisationKind.Category.OTHER).first()
            or OrganisationKind.objects.exclude(category=OrganisationKind.Category.AGENCY).first()
        )
        Organisation.objects.bulk_create(
            [
                Organisation(
                    uri=f"http://data.lblod.info/id/bestuurseenheden/bench-{uuid.uuid4()}",
                    name=f"Benchbestuur {n}",
                    kind=kind,
                )
                for n in range(missing)
            ],
            batch_size=2000,
        )


def load_conversations() -> None:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from loket.core.quota import Uploader
    from loket.messaging.models import Attachment, Conversation, Message, StoredBlob
    from loket.messaging.services import agency_organisation, attachment_store
    from loket.organisations.models import Organisation, OrganisationKind

    if Conversation.objects.exists():
        return
    rng = random.Random(SEED)
    agency = agency_organisation()
    blobs = [
        attachment_store(
            uploaded_file=ContentFile(b"%PDF-1.4\n" + f"% bench {n}\n".encode() * 300, name=f"b{n}.pdf"),
            uploader=Uploader(agency),
        )[0]
        for n in range(20)
    ]
    bodies = list(
        Organisation.objects.exclude(kind__category=OrganisationKind.Category.AGENCY).values_list("pk", flat=True)
    )
    now = timezone.now()
    for start in range(0, len(bodies), 250):
        conversations = []
        for pk in bodies[start : start + 250]:
            for n in range(CONVERSATIONS_PER_BODY):
                started = now - timedelta(days=rng.randint(0, 700))
                subject = f"Dossier {rng.choice(['budget', 'klacht', 'reglement', 'personeel', 'notulen'])} {n}"
                number = f"BENCH.{pk}.{n}"
                conversations.append(
                    Conversation(
                        organisation_id=pk,
                        dossier_number=number,
                        subject=subject,
                        current_type=rng.choice(KINDS[:3]),
                        started_at=started,
                        due_at=started + timedelta(days=30),
                        last_message_at=started,
                        last_sender_name="Agentschap Binnenlands Bestuur",
                        awaiting_body=rng.random() < 0.5,
                        search_text=f"{subject} {number}".lower(),
                    )
                )
        Conversation.objects.bulk_create(conversations, batch_size=5000)
        created = Conversation.objects.filter(organisation_id__in=bodies[start : start + 250]).values_list(
            "pk", "organisation_id", "started_at"
        )
        messages = []
        for conversation_id, organisation_id, started in created:
            for m in range(MESSAGES_PER_CONVERSATION):
                from_agency = m % 2 == 0
                messages.append(
                    Message(
                        conversation_id=conversation_id,
                        sender_id=agency.pk if from_agency else organisation_id,
                        recipient_id=organisation_id if from_agency else agency.pk,
                        kind=KINDS[0] if from_agency else "Reactie",
                        sent_at=started + timedelta(days=m),
                        from_agency=from_agency,
                    )
                )
        Message.objects.bulk_create(messages, batch_size=5000)
        ids = Message.objects.filter(conversation__organisation_id__in=bodies[start : start + 250]).values_list(
            "pk", flat=True
        )
        Attachment.objects.bulk_create(
            [Attachment(message_id=pk, blob=blobs[pk % len(blobs)], file_name="bijlage.pdf") for pk in ids],
            batch_size=5000,
        )
        print(f"  {min(start + 250, len(bodies))}/{len(bodies)} bodies", flush=True)
    assert StoredBlob.objects.count() >= len(blobs)


def measure_list(runs: int) -> None:
    from django.test import Client
    from tests.conftest import grant, make_user

    from loket.accounts.roles import Role
    from loket.organisations.models import Organisation

    aalst = Organisation.objects.get(name="Aalst", kind__category="municipality")
    user = make_user(f"bench-{uuid.uuid4().hex[:8]}")
    grant(user, aalst, [Role.BERICHTEN])
    client = Client()
    client.force_login(user)
    queries = [
        {},
        {"type": "Opvraging"},
        {"wacht": "1"},
        {"verlopen": "1"},
        {"zoek": "budget"},
        {"ongelezen": "1"},
        {"sorteer": "betreft"},
        {"van": "2026-01-01", "tot": "2026-12-31", "type": "Omzendbrief"},
    ]
    for query in queries:  # warm up
        assert client.get("/berichtencentrum/", query).status_code == 200
    samples = []
    for _run in range(runs):
        for query in queries:
            started = time.perf_counter()
            response = client.get("/berichtencentrum/", query)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    print(
        f"clerk list with filters ({len(queries)} kinds of query, {len(samples)} requests): "
        f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms (target p95 < 50 ms)"
    )


def measure_circular() -> None:
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from tests.support.smtp import CollectingHandler, _free_port

    from loket.core.quota import Uploader
    from loket.messaging.models import Conversation, NotificationSetting, StoredBlob
    from loket.messaging.services import ConversationDraft, agency_organisation, attachments_store, circular_start
    from loket.organisations.models import Organisation

    municipalities = list(Organisation.objects.filter(kind__category="municipality"))
    NotificationSetting.objects.bulk_create(
        [
            NotificationSetting(organisation=m, is_enabled=True, addresses=[f"info@{m.pk}.bench.example"])
            for m in municipalities
        ],
        ignore_conflicts=True,
    )
    attachment = ContentFile(b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024), name="omzendbrief.pdf")
    blobs_before = StoredBlob.objects.count()
    number = f"OMZ.BENCH.{uuid.uuid4().hex[:6]}"
    started = time.perf_counter()
    circular = circular_start(
        actor=None,
        organisations=municipalities,
        draft=ConversationDraft(dossier_number=number, subject="Omzendbrief bench", kind="Omzendbrief"),
        blobs=attachments_store([attachment], uploader=Uploader(agency_organisation())),
    )
    from loket.messaging.services import circular_run

    circular_run(circular_id=circular.pk)
    created = time.perf_counter() - started
    count = Conversation.objects.filter(dossier_number=number).count()
    print(
        f"circular to {count} municipalities with a 2 MB attachment: {created:.2f} s "
        f"(target < 10 s); attachments stored: {StoredBlob.objects.count() - blobs_before}"
    )

    handler = CollectingHandler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    started = time.perf_counter()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    handed = time.perf_counter() - started
    controller.stop()
    print(f"notification mails handed to SMTP: {len(handler.received)} in {handed:.1f} s (target < 60 s)")


def main() -> None:
    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command debug lines
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--bodies", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    prepare_database(reset=args.reset, script="bench/berichten.py")
    setup_django()
    from loket.messaging.models import Conversation, Message

    started = time.perf_counter()
    load_bodies(args.bodies)
    load_conversations()
    print(
        f"data: {Conversation.objects.count()} conversations, {Message.objects.count()} messages "
        f"({time.perf_counter() - started:.1f} s to prepare)"
    )
    print(f"machine load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    measure_list(args.runs)
    measure_circular()


if __name__ == "__main__":
    main()
