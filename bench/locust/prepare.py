"""Data for the load test (bench/locust/run.py calls this; it can also run alone).

    .venv/bin/python bench/locust/prepare.py [--reset]

PostgreSQL database `loket_load` on 127.0.0.1:5432 (user postgres; LOKET_LOAD_DB names another, as for run.py and
bench/request_cpu.py; DATABASE_URL wins over both): migrated, the real
organisations and document types, 100,000 sent submissions bulk-inserted by bench/toezicht.py's generator (once;
`--reset` drops the database first), then the people of the test: 35 clerks (role toezicht) of 7 municipalities,
10 supervisors of the agency, and a vendor acting for the same municipalities. Logins: no login page is used
(production has no development login); the script makes a Django session for each person in the session store,
exactly as `django.contrib.auth.login` would, and writes the session cookies to var/load/people.json.
"""

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]
os.environ.setdefault(
    "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{os.environ.get('LOKET_LOAD_DB', 'loket_load')}"
)
# Session hashes are made with the server's SECRET_KEY (run.py passes the same one).
os.environ.setdefault("SECRET_KEY", "load-test-" * 5)
os.environ.setdefault("LOKET_SIGNING_KEY_FILE", str(ROOT / "var" / "load" / "ledger-ed25519.pem"))
os.environ.setdefault("LOKET_MEDIA_ROOT", str(ROOT / "var" / "load" / "media"))

OUT = ROOT / "var" / "load"
MUNICIPALITIES = ["Aalst", "Gent", "Mechelen", "Brugge", "Leuven", "Hasselt", "Kortrijk"]
CLERKS_PER_MUNICIPALITY = 5
SUPERVISORS = 10
VENDOR_URI = "http://data.lblod.info/vendors/load-test"
VENDOR_KEY = "4c6f61642d746573.load-test-vendor-secret"  # `<key id>.<secret>`, as key_generate() makes


def prepare_database(reset: bool) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            if not name.startswith(("loket_load", "loket_perf")):
                sys.exit(f"--reset only drops a database named loket_load* or loket_perf*, not {name}.")
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def signing_key() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(os.environ["LOKET_SIGNING_KEY_FILE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        key = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(key)


def session_for(user, organisation) -> str:  # type: ignore[no-untyped-def]
    """A session as django.contrib.auth.login makes it (plus the organisation the person acts for)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from loket.accounts.middleware import SESSION_KEY as ORGANISATION_KEY
    from loket.accounts.views.sign_in import BACKEND

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[ORGANISATION_KEY] = organisation.pk
    session.set_expiry(24 * 3600)
    session.save()
    return session.session_key


def people() -> dict:
    from django.conf import settings
    from django.db import transaction

    from loket.accounts.models import Membership, User
    from loket.accounts.roles import Role
    from loket.accounts.services import membership_grant
    from loket.organisations.models import Organisation, OrganisationKind
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.vendors.models import Vendor
    from loket.vendors.services import vendor_create

    agency = Organisation.objects.get(kind__category=OrganisationKind.Category.AGENCY)
    municipalities = [
        Organisation.objects.get(name=name, kind__category=OrganisationKind.Category.MUNICIPALITY)
        for name in MUNICIPALITIES
    ]
    source = Membership.Source.DEVELOPMENT
    result: dict = {"clerks": [], "supervisors": [], "municipalities": {}, "uri_base": settings.LOKET_URI_BASE}
    with transaction.atomic():
        for municipality in municipalities:
            council = next(b for b in governing_bodies_of(municipality) if b.label == "Gemeenteraad")
            result["municipalities"][municipality.uri] = {"council": council.uri, "name": municipality.name}
            for number in range(CLERKS_PER_MUNICIPALITY):
                user, _ = User.objects.get_or_create(
                    username=f"load-clerk-{municipality.pk}-{number}",
                    defaults={"first_name": "Klerk", "last_name": f"{municipality.name} {number}"},
                )
                membership_grant(user=user, organisation=municipality, roles=[Role.TOEZICHT], actor=None, source=source)
                result["clerks"].append({"session": session_for(user, municipality), "organisation": municipality.uri})
        for number in range(SUPERVISORS):
            user, _ = User.objects.get_or_create(
                username=f"load-supervisor-{number}", defaults={"first_name": "Toezicht", "last_name": str(number)}
            )
            membership_grant(user=user, organisation=agency, roles=[Role.SUPERVISOR], actor=None, source=source)
            result["supervisors"].append({"session": session_for(user, agency)})
        if not Vendor.objects.filter(uri=VENDOR_URI).exists():
            vendor_create(uri=VENDOR_URI, name="Load test", organisations=municipalities, key=VENDOR_KEY)
    result["vendor"] = {"uri": VENDOR_URI, "key": VENDOR_KEY}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reset", action="store_true", help="drop the database and generate anew")
    arguments = parser.parse_args()
    prepare_database(arguments.reset)
    signing_key()
    os.environ.setdefault("LOKET_TOEZICHT_FORM", "toezicht-v1.ttl")
    import toezicht  # bench/toezicht.py: its generator of 100,000 sent submissions

    toezicht.setup_django()
    start = time.perf_counter()
    toezicht.ensure_data()
    from django.db import connection

    OUT.mkdir(parents=True, exist_ok=True)
    result = people()
    # The open data as a running Loket has it before the day starts: the generated submissions have no feed entries,
    # so the first sync only starts the delta streams — their initial dumps of every public submission, a minute of
    # CPU once per database — which the worker would otherwise pay inside the measured ten minutes.
    from loket.opendata.tasks import sync_store

    sync_store.call()
    # Statistics for every table, not only the submissions: this machine's PostgreSQL runs without autovacuum, so
    # a table nobody analyses keeps none. Without them the planner took the 3,737 organisations for 3 rows and
    # answered the supervisor's inbox filtered by province with a nested loop over every submission of the
    # province (118 ms) instead of walking the inbox index (0.7 ms).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    result["csrf"] = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret, sent as cookie and header
    (OUT / "people.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"prepared in {time.perf_counter() - start:.0f} s: {len(result['clerks'])} clerks, "
          f"{len(result['supervisors'])} supervisors, people in {OUT / 'people.json'}")  # fmt: skip


if __name__ == "__main__":
    main()
