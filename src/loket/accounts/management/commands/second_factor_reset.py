"""`manage.py second_factor_reset <username> --reason "..."`: a helpdesk person lost the app of their second
sign-in step; their next password sign-in sets up a new one. Audited (accounts/second_factor.py)."""

from django.core.management.base import BaseCommand, CommandError

from loket.accounts.models import User
from loket.accounts.second_factor import SecondFactorError, second_factor_reset


class Command(BaseCommand):
    help = "Remove a back-office user's authenticator app (their next sign-in sets up a new one). Audited."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why (in the audit trail), e.g. 'telefoon verloren'")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Geen gebruiker met gebruikersnaam {options['username']!r}.")
        try:
            removed = second_factor_reset(
                user=user, reason=options["reason"], actor_label="manage.py second_factor_reset"
            )
        except SecondFactorError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{removed} app(s) verwijderd voor {user.username}; de volgende aanmelding stelt een nieuwe in."
        )
