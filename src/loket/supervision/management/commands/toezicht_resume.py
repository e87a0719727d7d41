"""Resume Toezicht work a dead worker left behind: cached copies of links still being fetched, deliveries not done.

Run it periodically (cron, e.g. every five minutes: `manage.py toezicht_resume`) and once when a worker starts
(`manage.py worker` does that). Safe to run at any time and as often as wanted.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from loket.supervision.tasks import STALLED_AFTER, resume_stalled_work


class Command(BaseCommand):
    help = "Plan opnieuw in wat een gestopte worker half af liet: kopieën van links en afleveringen in Toezicht."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(STALLED_AFTER.total_seconds()),
            metavar="SECONDS",
            help="A task still running after this many seconds belongs to a worker that died (default: %(default)s).",
        )

    def handle(self, *args: object, older_than: int, **options: object) -> None:
        report = resume_stalled_work(older_than=timedelta(seconds=older_than))
        self.stdout.write(
            f"{report.stalled_tasks} vastgelopen taak/taken afgesloten; opnieuw ingepland: "
            f"{report.links} kopie(ën) van links, {report.deliveries} aflevering(en)."
        )
