import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from loket.accounts.models import AccessRequest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_posts_without_csrf_token_are_refused_and_change_nothing(newcomer, municipality):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(newcomer)
    response = client.post(
        f"/toegang-aanvragen/{municipality.key}/",
        {"first_name": "N", "last_name": "N", "email": "n@example.org", "select_all": "on", "reason": "Bestuurslid"},
    )
    assert response.status_code == 403
    assert not AccessRequest.objects.exists()


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("LOKET_", "DJANGO_", "DEBUG", "PYTEST"))
    }
    env.update({"DATABASE_URL": "sqlite:////tmp/loket-check-deploy.sqlite3", **extra_env})
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_djangos_deployment_checks():  # type: ignore[no-untyped-def]
    result = _check_deploy(
        {
            "SECRET_KEY": "x" * 64 + "production-only-secret-value-with-enough-entropy",
            "ALLOWED_HOSTS": "loket.example.org",
            "LOKET_PERSON_NUMBER_KEYS": "p" * 64 + "person-number-key",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_keys_for_national_register_numbers_is_warned():  # type: ignore[no-untyped-def]
    result = _check_deploy(
        {
            "SECRET_KEY": "x" * 64 + "production-only-secret-value-with-enough-entropy",
            "ALLOWED_HOSTS": "loket.example.org",
        }
    )
    assert result.returncode != 0 and "(loket.persons.W001)" in result.stderr, result.stdout + result.stderr


PRODUCTION = {
    "SECRET_KEY": "x" * 64 + "production-only-secret-value-with-enough-entropy",
    "ALLOWED_HOSTS": "loket.example.org",
    "LOKET_PERSON_NUMBER_KEYS": "p" * 64 + "person-number-key",
}
REMOTE_DB = "postgres://loket@db.example.org:5432/loket"


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ({"DATABASE_URL": REMOTE_DB}, "sslmode=not set"),
        ({"DATABASE_URL": REMOTE_DB + "?sslmode=require"}, "sslmode=require"),  # encrypted, server not checked
        ({"DATABASE_URL": REMOTE_DB + "?sslmode=verify-full"}, ""),
        ({"DATABASE_URL": REMOTE_DB, "LOKET_PLAINTEXT_ALLOWED": "database"}, ""),
        ({"DATABASE_URL": "postgres://loket@127.0.0.1:5432/loket"}, ""),
        ({"DATABASE_URL": "postgres://loket@%2Frun%2Fpostgresql/loket"}, ""),  # a Unix socket
        ({"EMAIL_HOST": "smtp.example.org"}, "mail would go unencrypted"),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_TLS": "1"}, ""),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_SSL": "1", "EMAIL_PORT": "465"}, ""),
        ({"EMAIL_HOST": "localhost"}, ""),
        ({"EMAIL_HOST": "smtp.example.org", "LOKET_PLAINTEXT_ALLOWED": "smtp"}, ""),
    ],
)
def test_production_connects_to_other_machines_only_over_verified_tls(extra, refused):  # type: ignore[no-untyped-def]
    result = _check_deploy({**PRODUCTION, **extra})
    if refused:
        assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr and refused in result.stderr
    else:
        assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():  # type: ignore[no-untyped-def]
    result = _check_deploy({"ALLOWED_HOSTS": "loket.example.org"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_development_login_is_off_in_production(settings, client, db):  # type: ignore[no-untyped-def]
    result = _check_deploy(
        {
            "SECRET_KEY": "k3y-" + "abcdefghij" * 6,
            "ALLOWED_HOSTS": "loket.example.org",
            "LOKET_DEV_LOGIN": "1",
            "LOKET_PERSON_NUMBER_KEYS": "p" * 64 + "person-number-key",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr  # the flag alone does not enable it
    settings.DEBUG = False
    settings.LOKET_DEV_LOGIN = True
    assert client.get("/aanmelden/ontwikkeling/").status_code == 404


def test_s3_storage_is_configured_from_the_environment():  # type: ignore[no-untyped-def]
    code = (
        "from django.conf import settings; import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url)"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LOKET_", "PYTEST"))}
    env.update(
        {
            "LOKET_TESTING": "1",
            "DJANGO_SETTINGS_MODULE": "loket.settings",
            "PYTHONPATH": str(REPO / "src"),
            "LOKET_S3_BUCKET": "besluiten",
            "LOKET_S3_ENDPOINT_URL": "https://s3.example.org",
        }
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["S3Storage", "besluiten", "https://s3.example.org"], result.stderr


@pytest.mark.parametrize(("minutes", "starts"), [("0", False), ("-5", False), ("1", True)])
def test_a_step_up_limit_below_a_minute_is_refused_at_start(minutes, starts):  # type: ignore[no-untyped-def]
    # With 0 every high-value page would send the person to confirm, and the confirmation straight back (a loop).
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LOKET_", "PYTEST"))}
    env.update(
        {
            "LOKET_TESTING": "1",
            "DJANGO_SETTINGS_MODULE": "loket.settings",
            "PYTHONPATH": str(REPO / "src"),
            "LOKET_STEP_UP_MINUTES": minutes,
        }
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.LOKET_STEP_UP_MINUTES)"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    if starts:
        assert result.returncode == 0 and result.stdout.strip() == minutes, result.stderr
    else:
        assert result.returncode != 0
        assert "LOKET_STEP_UP_MINUTES must be at least 1" in result.stderr
