"""`manage.py ledger stamp`: ask the TSA for every timestamp an outage left out (the worker also retries them).

`manage.py ledger verify [--content]`: recompute the register's chain, signatures and timestamps; with
`--content`, also re-hash every sent thing from what is stored (form data, files' bytes) and name every mismatch.

`manage.py ledger rotate-key --reason "..."`: retire the signing key (its public half kept, so what it signed stays
verifiable) and start signing with a new one; audited. Restart the web and worker processes afterwards.

Run the verification nightly from cron (see README, "Integrity") and alert on a non-zero exit; the result is also
written to the audit trail, so the back office shows when the last check ran and what it found."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from loket.core import signing
from loket.core.ledger import entries_waiting_for_a_timestamp, ledger_stamp, ledger_verify
from loket.core.ledger_content import Mismatch, content_verify, record_content_verification


class Command(BaseCommand):
    help = "Work with the register of sent and delivered content."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="Check every entry; exit 1 at the first broken one.")
        verify.add_argument(
            "--content",
            action="store_true",
            help="Also re-hash every sent submission from its stored form data and files; exit 1 on any mismatch.",
        )
        verify.add_argument(
            "--no-bytes", action="store_true", help="With --content: trust the files' recorded hashes (faster)."
        )
        actions.add_parser("stamp", help="Timestamp the entries appended while the TSA was down; exit 1 if it is down.")
        rotate = actions.add_parser("rotate-key", help="Retire the signing key and sign with a new one (audited).")
        rotate.add_argument("--reason", required=True, help="why, for the audit trail (e.g. 'jaarlijkse rotatie')")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "stamp":
            return self._stamp()
        if options["action"] == "rotate-key":
            return self._rotate(options["reason"])
        report = ledger_verify()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} entries verified")
            if waiting := entries_waiting_for_a_timestamp():
                self.stdout.write(f"NOTE: {waiting} entries wait for their timestamp (TSA was down; `ledger stamp`)")
        else:
            self.stderr.write(f"BROKEN at position {report.first_broken_position}: {report.reason}")
        content_ok = True
        if options["content"]:
            content = content_verify(check_bytes=not options["no_bytes"], on_mismatch=self._mismatch)
            record_content_verification(chain_ok=report.ok, report=content)
            content_ok = content.ok
            if content.ok:
                self.stdout.write(f"OK: content of {content.checked} sent submissions matches the register")
            else:
                self.stderr.write(
                    f"MISMATCH: content of {len(content.mismatches)} of {content.checked} sent submissions "
                    "differs from the register"
                )
        if not (report.ok and content_ok):
            raise SystemExit(1)

    def _stamp(self) -> None:
        from loket.core.ledger_models import LedgerEntry
        from loket.core.timestamping import TimestampError

        waiting = LedgerEntry.objects.filter(tsa_token__isnull=True, late_timestamp__isnull=True)
        positions = list(waiting.values_list("position", flat=True))
        stamped = 0
        for position in positions if entries_waiting_for_a_timestamp() else []:
            try:
                stamped += ledger_stamp(position)
            except TimestampError as error:
                self.stderr.write(f"entry {position}: {error.message}")
                raise SystemExit(1) from error
        self.stdout.write(f"{stamped} entries timestamped")

    def _rotate(self, reason: str) -> None:
        from loket.core.ledger import ledger_key_rotate

        try:
            old, new = ledger_key_rotate(reason=reason, actor_label="manage.py ledger rotate-key")
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Signing key {old} retired; new key {new}. Restart the web and worker processes now.")
        self.stdout.write("Publish the new public key:")
        self.stdout.write(signing.public_key_pem())

    def _mismatch(self, mismatch: Mismatch) -> None:
        subject, problems = mismatch
        for problem in problems:
            self.stderr.write(f"MISMATCH {subject}: {problem}")
