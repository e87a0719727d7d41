"""Demo data for `make run`: every real organisation (with its real URI), the target group, Religiopoint,
a few worship boards managed by their diocese, and demo people. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from loket.accounts.models import Membership, User
from loket.accounts.roles import MODULE_ROLES, Role
from loket.accounts.services import membership_grant
from loket.organisations.importer import import_organisations
from loket.organisations.models import Organisation, OrganisationKind, Platform, TargetGroup

DATA = settings.REPO_DIR / "data"
AGENCY_URI = "http://data.lblod.info/id/bestuurseenheden/141d9d6b-54af-4d17-b313-8d1c30bc3f5b"
DIOCESE_ANTWERP_URI = "http://data.lblod.info/id/representatieveOrganen/b4d22cde910a7b58b6e4d9c1d3b15fbb"


class Command(BaseCommand):
    help = "Load the demo data (real organisations, demo people). Idempotent."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--submissions",
            type=int,
            default=0,
            help="Aalst has at least this many sent decision lists (sent as Gert Gemeente; safe to run again).",
        )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        TargetGroup.objects.get_or_create(code=TargetGroup.LOCAL_BODIES, defaults={"label": "Lokale Besturen"})
        Platform.objects.get_or_create(
            name="Religiopoint",
            defaults={"contact_email": "ondersteuning@religiosoft.be", "contact_url": "https://www.religiopoint.be"},
        )
        report = import_organisations(
            DATA / "organisations.csv",
            statuses=DATA / "organisations-status.csv",
            target_group=TargetGroup.LOCAL_BODIES,
        )
        self.stdout.write(
            f"Organisations: {report.created} created, {report.updated} updated, "
            f"{len(report.warnings)} KBO warnings, {len(report.rejected)} rejected"
        )
        from loket.supervision.codelists import document_types_load

        self.stdout.write(f"Document types: {document_types_load()}")
        self._demo_people()
        from loket.worship.demo import worship_demo_load

        self.stdout.write(f"Worship: {worship_demo_load()}")
        from loket.officials.services import functions_create

        self.stdout.write(f"Leidinggevende functies: {functions_create()} nieuw")
        from django.utils import timezone

        from loket.personnel.services import period_open

        year = timezone.localdate().year
        self.stdout.write(f"Personeelsbeheer {year}: {period_open(year=year)} nieuwe reeksen")
        from loket.messaging.demo import messaging_demo_load

        self.stdout.write(f"Berichtencentrum: {messaging_demo_load()}")
        from loket.mandates.demo import load_demo_mandates

        self.stdout.write(f"Mandates: {load_demo_mandates()}")
        from loket.reports.demo import reports_demo_load

        self.stdout.write(f"BBC-DR: {reports_demo_load()}")
        from loket.subsidies.demo import subsidies_demo_load

        self.stdout.write(f"Subsidiebeheer: {subsidies_demo_load()}")
        if options["submissions"]:
            from loket.supervision.demo import demo_submissions_top_up

            aalst = Organisation.objects.get(name="Aalst", kind__category="municipality")
            gert = User.objects.get(username="dev:gert-gemeente")
            sent = demo_submissions_top_up(organisation=aalst, actor=gert, at_least=options["submissions"])
            self.stdout.write(f"Demo submissions sent: {len(sent)}")
        from loket.opendata.tasks import schedule_first_rebuild

        if schedule_first_rebuild():
            self.stdout.write("Open data: the worker fills the SPARQL store with the demo data (about 90 s)")

    @transaction.atomic
    def _demo_people(self) -> None:
        agency = Organisation.objects.get(uri=AGENCY_URI)
        if agency.ovo_code != "OVO001835":
            agency.ovo_code = "OVO001835"
            agency.save(update_fields=["ovo_code"])
        diocese = Organisation.objects.filter(uri=DIOCESE_ANTWERP_URI).first()
        if diocese is not None:
            worship = Organisation.objects.filter(
                kind__category=OrganisationKind.Category.WORSHIP_BOARD, province="Antwerpen", access_manager=None
            ).exclude(name="")
            worship.update(access_manager=diocese)
            # The representative body also supervises its boards' decisions (the financing municipality is not in
            # the public data; the helpdesk adds it per board in the back office).
            through = Organisation.supervised_by.through
            through.objects.bulk_create(
                [
                    through(from_organisation_id=pk, to_organisation_id=diocese.pk)
                    for pk in Organisation.objects.filter(access_manager=diocese).values_list("pk", flat=True)
                ],
                ignore_conflicts=True,
            )
        people = [
            (
                "Hilde",
                "Helpdesk",
                agency,
                [Role.ACCESS_MANAGER, Role.SUPERVISOR, Role.BERICHTEN, Role.MESSAGES_AGENCY],
                True,
            ),
        ]
        aalst = Organisation.objects.filter(name="Aalst", kind__category="municipality").first()
        if aalst:
            people.append(("Gert", "Gemeente", aalst, list(MODULE_ROLES), False))
        if diocese:
            people.append(("Bart", "Bisdom", diocese, [Role.ACCESS_MANAGER, Role.SUPERVISOR, Role.BERICHTEN], False))
        for first, last, organisation, roles, staff in people:
            user, _created = User.objects.get_or_create(
                username=f"dev:{first.lower()}-{last.lower()}",
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first.lower()}@example.org",
                    "is_staff": staff,
                    "is_superuser": staff,
                },
            )
            membership_grant(
                user=user,
                organisation=organisation,
                roles=[r.value for r in roles],
                actor=None,
                source=Membership.Source.DEVELOPMENT,
            )
        self.stdout.write("Demo people: " + ", ".join(f"{p[0]} {p[1]}" for p in people))
