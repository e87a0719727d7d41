"""The benchmarks' PostgreSQL database: created before Django connects (dropped first with --reset)."""

import os
import sys
from urllib.parse import urlsplit


def prepare_database(*, reset: bool, script: str) -> None:
    """Create the database of DATABASE_URL if missing; with `reset`, drop and recreate it (only a loket_bench*)."""
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"{script} measures PostgreSQL; DATABASE_URL must be a postgres:// URL.")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            if not name.startswith("loket_bench"):
                sys.exit(f"--reset only drops a database named loket_bench*, not {name}.")
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
