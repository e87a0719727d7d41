"""The fixed test cast: two municipalities, a diocese managing a worship board, the agency, and users with and
without roles. Tests that need more build it with the services."""

import os
import time

os.environ.setdefault("LOKET_TESTING", "1")

import pytest
from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper

from loket.accounts.models import Membership, User
from loket.accounts.roles import MODULE_ROLES, Role
from loket.accounts.services import membership_grant
from loket.core.quota import Uploader
from loket.organisations.models import Organisation, OrganisationKind, Platform, TargetGroup
from tests.support.clamd import clamd, clamd_server, own_clamd  # noqa: F401 - a real clamd with only the EICAR signature

BASE = "http://data.lblod.info/id"
KIND = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """pytest-django's test database, and at its teardown a check (PostgreSQL) that no other connection to it is
    still open: a thread, server or process a test started and left connected makes the database's DROP fail, and
    names no culprit. This fails the run instead, with each connection's last query to find it by."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        left = _other_connections(connection)
    if left:
        listed = "\n".join(
            f"  pid {pid} {name!r}, since {since:%H:%M:%S}, {state}: {query}" for pid, name, since, state, query in left
        )
        pytest.fail(f"{len(left)} connection(s) to the test database left open by a test:\n{listed}", pytrace=False)


def _other_connections(connection: BaseDatabaseWrapper, *, grace: float = 5.0) -> list[tuple]:  # type: ignore[type-arg]
    """The client connections to this database other than this one, after waiting up to `grace` seconds for those
    whose client is gone (a stopped process's backend ends a moment later)."""
    deadline = time.monotonic() + grace
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name, backend_start, state, left(query, 200) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
            left = cursor.fetchall()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


@pytest.fixture
def fresh_throttle():  # type: ignore[no-untyped-def]
    """An empty cache before and after: rate limits and security alerts count from zero (tests of throttles)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def dutch_by_default():  # type: ignore[no-untyped-def]
    """Every test starts in the default language: a request that switched to English must not leak into the
    next test (LocaleMiddleware leaves the thread's language activated)."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.activate("nl")


@pytest.fixture(autouse=True)
def toezicht_form_v1(settings):  # type: ignore[no-untyped-def]
    """Most Toezicht tests write v1-shaped data: their concepts are made with toezicht-v1.ttl, which proves that
    v1 concepts keep working. Tests of the current form (v2) ask for it with `settings.LOKET_TOEZICHT_FORM = ""`."""
    settings.LOKET_TOEZICHT_FORM = "toezicht-v1.ttl"


@pytest.fixture(autouse=True)
def one_task_loop_in_process(settings):  # type: ignore[no-untyped-def]
    """`manage.py worker` called inside a test runs one loop, in the test's thread: a test's data is visible only on
    its own connection until it commits, and the threads of `--threads N` each open their own. The worker as a
    process (tests/faults, tests/core/test_worker_threads.py) keeps its default."""
    settings.LOKET_WORKER_THREADS = 1


@pytest.fixture(autouse=True)
def isolated_files(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Uploads, the development signing key and the embedded SPARQL store of a test stay in a temporary directory.
    Not the developer's var/sparql (left by `make run` or bench/request_cpu.py's worker): with a store there, the
    browser tests' walk ran a query, whose forked query process kept Playwright's driver pipes open, so the test hung
    for minutes after its walk had passed (seen in helpers' worktrees in session 21 and in main in session 22)."""
    base = tmp_path_factory.getbasetemp()
    settings.MEDIA_ROOT = base / "media"
    settings.LOKET_SPARQL_STORE_DIR = str(base / "sparql")
    settings.LOKET_SIGNING_KEY_FILE = base / "ledger-ed25519.pem"


@pytest.fixture
def target_group(db) -> TargetGroup:  # type: ignore[no-untyped-def]
    return TargetGroup.objects.get_or_create(code="LB", defaults={"label": "Lokale Besturen"})[0]


def _kind(key: str, label: str, category: str) -> OrganisationKind:
    return OrganisationKind.objects.get_or_create(uri=KIND + key, defaults={"label": label, "category": category})[0]


def make_organisation(
    *,
    key: str,
    name: str,
    kbo: str,
    kind: OrganisationKind,
    target_group: TargetGroup | None,
    base: str = "bestuurseenheden",
    access_manager: Organisation | None = None,
) -> Organisation:
    organisation = Organisation.objects.create(
        uri=f"{BASE}/{base}/{key}",
        uuid=key,
        name=name,
        kbo=kbo,
        kind=kind,
        access_manager=access_manager,
        status="Actief",
    )
    if target_group is not None:
        organisation.target_groups.add(target_group)
    return organisation


@pytest.fixture
def agency(target_group) -> Organisation:  # type: ignore[no-untyped-def]
    kind = _kind("52cc9d8d-1c9a-4d92-9936-da9d4a622ec4", "Agentschap Binnenlands Bestuur", "agency")
    org = make_organisation(
        key="141d9d6b-54af-4d17-b313-8d1c30bc3f5b",
        name="Agentschap Binnenlands Bestuur",
        kbo="",
        kind=kind,
        target_group=target_group,
    )
    org.ovo_code = "OVO001835"
    org.save()
    return org


@pytest.fixture
def municipality(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    kind = _kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality")
    return make_organisation(
        key="aaaa0000-0000-0000-0000-000000000001",
        name="Aalst",
        kbo="0207451227",
        kind=kind,
        target_group=target_group,
        access_manager=agency,
    )


@pytest.fixture
def other_municipality(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    kind = _kind("5ab0e9b8a3b2ca7c5e000001", "Gemeente", "municipality")
    return make_organisation(
        key="bbbb0000-0000-0000-0000-000000000002",
        name="Berlare",
        kbo="0207437468",
        kind=kind,
        target_group=target_group,
        access_manager=agency,
    )


@pytest.fixture
def diocese(target_group, agency) -> Organisation:  # type: ignore[no-untyped-def]
    kind = _kind("36372fad-0358-499c-a4e3-f412d2eae213", "Representatief orgaan", "representative_body")
    return make_organisation(
        key="b4d22cde910a7b58b6e4d9c1d3b15fbb",
        name="Bisdom Antwerpen",
        kbo="0408140861",
        kind=kind,
        target_group=target_group,
        base="representatieveOrganen",
    )


@pytest.fixture
def worship_board(target_group, diocese) -> Organisation:  # type: ignore[no-untyped-def]
    kind = _kind("66ec74fd-8cfc-4e16-99c6-350b35012e86", "Bestuur van de eredienst", "worship_board")
    return make_organisation(
        key="004399d3fe8de429aac8c0a91ffe71b6",
        name="St.-Margarita (Tielen)",
        kbo="0211374579",
        kind=kind,
        target_group=target_group,
        base="besturenVanDeEredienst",
        access_manager=diocese,
    )


@pytest.fixture
def religiopoint(db) -> Platform:  # type: ignore[no-untyped-def]
    return Platform.objects.create(name="Religiopoint", contact_email="ondersteuning@religiosoft.be")


def make_user(username: str, *, email: str | None = None, staff: bool = False) -> User:
    first, _, last = username.partition("-")
    return User.objects.create(
        username=username,
        first_name=first.title(),
        last_name=last.title(),
        email=email or f"{username}@example.org",
        is_staff=staff,
        is_superuser=staff,
    )


def grant(user: User, organisation: Organisation, roles: list) -> Membership:  # type: ignore[type-arg]
    return membership_grant(
        user=user,
        organisation=organisation,
        roles=[str(r) for r in roles],
        actor=None,
        source=Membership.Source.DEVELOPMENT,
    )


@pytest.fixture
def uploader(municipality) -> Uploader:
    """Whose storage quota pays for the files a test stores without a request (core.quota)."""
    return Uploader(municipality)


@pytest.fixture
def clerk(municipality) -> User:  # type: ignore[no-untyped-def]
    """A member of the municipality with every module role."""
    user = make_user("clara-clerk")
    grant(user, municipality, MODULE_ROLES)
    return user


@pytest.fixture
def member_without_roles(municipality) -> User:  # type: ignore[no-untyped-def]
    """A member of the municipality with only the messages role."""
    user = make_user("norbert-norole")
    grant(user, municipality, [Role.BERICHTEN])
    return user


@pytest.fixture
def stranger(other_municipality) -> User:  # type: ignore[no-untyped-def]
    """A member, with every role, of another municipality."""
    user = make_user("stefan-stranger")
    grant(user, other_municipality, [*MODULE_ROLES, Role.ACCESS_MANAGER])
    return user


@pytest.fixture
def helpdesk(agency) -> User:  # type: ignore[no-untyped-def]
    """Agency staff: access manager for bodies without their own, and the back office."""
    user = make_user("hilde-helpdesk", staff=True)
    grant(user, agency, [Role.ACCESS_MANAGER, Role.SUPERVISOR])
    return user


@pytest.fixture
def diocese_manager(diocese) -> User:  # type: ignore[no-untyped-def]
    user = make_user("bart-bisdom")
    grant(user, diocese, [Role.ACCESS_MANAGER])
    return user


@pytest.fixture
def newcomer(db) -> User:  # type: ignore[no-untyped-def]
    """Logged in, no access to any organisation yet."""
    return make_user("nina-newcomer")


@pytest.fixture
def keep_test_connection(monkeypatch):  # type: ignore[no-untyped-def]
    """Inside a test transaction the worker's `close_old_connections` would close the test's connection
    (autocommit differs from the settings while a test transaction is open) — the same reason Django's test
    client disconnects it around requests. Only that call is neutralised."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)


@pytest.fixture
def run_worker(keep_test_connection):  # type: ignore[no-untyped-def]
    """Run the real task worker (django-tasks-db's db_worker) until the queue is empty."""

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    return run
