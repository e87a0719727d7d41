"""Create a vendor from the shell; prints the new key alone on the last line (shown once, stored only hashed)."""

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from loket.core.errors import DomainError
from loket.organisations.models import Organisation, Platform
from loket.vendors.services import vendor_create


class Command(BaseCommand):
    help = "Maak een leverancier aan; de nieuwe sleutel staat alleen op de laatste regel (eenmalig getoond)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--uri", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--organisation",
            action="append",
            default=[],
            metavar="ORG_URI",
            help="URI of an organisation the vendor may act for (repeatable; meeting software).",
        )
        parser.add_argument(
            "--platform",
            nargs="?",
            const="",
            default=None,
            metavar="PLATFORM_NAME",
            help="The vendor is a platform replacing the Loket; links it to the Platform of that "
            "name (default: the vendor's name), created when missing.",
        )

    def handle(self, *args: object, **options: object) -> None:
        uris = list(options["organisation"])  # type: ignore[call-overload]
        organisations = list(Organisation.objects.filter(uri__in=uris))
        missing = sorted(set(uris) - {o.uri for o in organisations})
        if missing:
            raise CommandError(f"Onbekende besturen: {', '.join(missing)}")
        platform = None
        if options["platform"] is not None:
            name = str(options["platform"] or options["name"])
            platform = Platform.objects.get_or_create(name=name)[0]
        try:
            created = vendor_create(
                uri=str(options["uri"]), name=str(options["name"]), organisations=organisations, platform=platform
            )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        kind = "platform" if platform else "vergadersoftware"
        self.stdout.write(f"Leverancier {created.vendor.name} ({kind}) aangemaakt voor {len(organisations)} besturen.")
        self.stdout.write("De sleutel wordt maar één keer getoond en niet bewaard:")
        self.stdout.write(created.key)
