from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loket.organisations.importer import ImportFileError, import_organisations
from loket.organisations.models import TargetGroup


class Command(BaseCommand):
    help = "Import organisations from a CSV file (uri,uuid,name,classification_uri,classification_label,kbo,province)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("csv", type=Path)
        parser.add_argument("--statuses", type=Path, help="CSV with uri,status_uri,status_label")
        parser.add_argument("--target-group", help="Code of a target group to place every imported body in (e.g. LB)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        target_group = options["target_group"]
        if target_group and not TargetGroup.objects.filter(code=target_group).exists():
            raise CommandError(f"Unknown target group '{target_group}'.")
        try:
            report = import_organisations(options["csv"], statuses=options["statuses"], target_group=target_group)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        for line, problem in report.rejected:
            self.stderr.write(f"line {line}: rejected: {problem}")
        for line, warning in report.warnings:
            self.stderr.write(f"line {line}: warning: {warning}")
        self.stdout.write(
            f"{report.created} created, {report.updated} updated, {len(report.rejected)} rejected, "
            f"{len(report.warnings)} warnings"
        )
