"""Worship administrations: `manage.py worship units` (a unit for every imported worship body),
`worship periods` (board periods and mandates), `worship report` (the nightly involvement report; cron),
`worship mail` (the daily mail to subscribed receivers; cron)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Erediensten: units | periods | report"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["units", "periods", "report", "mail"])

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from loket.worship import services

        if action == "units":
            made = services.worship_units_sync()
            self.stdout.write(f"{made} eredienstbesturen aangemaakt.")
        elif action == "periods":
            from loket.worship.periods import board_periods_create

            counts = board_periods_create()
            self.stdout.write(
                f"{counts['organs']} bestuursorganen, {counts['terms']} bestuursperiodes, "
                f"{counts['mandates_created']} nieuwe mandaten."
            )
        elif action == "mail":
            from loket.worship.mail import daily_mail_send

            self.stdout.write(f"{daily_mail_send()} dagelijkse mails verstuurd.")
        elif action == "report":
            report = services.involvement_report_create()
            self.stdout.write(
                f"Rapport {report.pk}: {report.unit_count} besturen nagekeken, {len(report.rows)} met problemen "
                f"({report.seconds:.2f} s)."
            )
