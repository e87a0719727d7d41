"""`manage.py ledger verify`: recompute the register's chain, signatures and timestamps."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from loket.core.ledger import ledger_verify


class Command(BaseCommand):
    help = "Work with the register of sent and delivered content."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="Check every entry; exit 1 at the first broken one.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = ledger_verify()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} entries verified")
            return
        self.stderr.write(f"BROKEN at position {report.first_broken_position}: {report.reason}")
        raise SystemExit(1)
