"""The code lists of Subsidiebeheer, with the real Loket's URIs (reference subsidiebeheer.md §3.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

CONCEPTS = "http://lblod.data.gift/concepts/"
CLASSIFICATION = "http://data.vlaanderen.be/id/concept/BestuurseenheidClassificatieCode/"
AANVRAGER = CONCEPTS + "d8b8f3d1-7574-4baf-94df-188a7bd84a3a"
PARTICIPATION_ROLE_SCHEME = "http://lblod.data.gift/concept-schemes/94818b96-5b18-48b8-a125-1e6825b6b724"
DOSSIER_STATUS_SCHEME = "http://lblod.data.gift/concept-schemes/f7274d7f-31d5-4b02-aca8-b96481115651"
STEP_TYPE_SCHEME = "http://lblod.data.gift/concept-schemes/77604806-1006-459b-9228-583d279c7a1c"


class DossierStatus(models.TextChoices):
    """Status of a subsidiemaatregelconsumptie (the real URIs)."""

    CONCEPT = CONCEPTS + "6373b454-22b6-4b65-b98f-3d86541f2fcf", _("Concept")
    ACTIVE = CONCEPTS + "c849ca98-455d-4f31-9e95-a3d9d06e4497", _("Actief")
    SUBMITTED = CONCEPTS + "2ea29fbf-6d46-4f08-9343-879282a9f484", _("Aanvraag ingediend")


class FormStatus(models.TextChoices):
    """Status of an application form (Toezicht's submission-document statuses)."""

    NEW = CONCEPTS + "6b7ae118-4653-48f2-9d9a-4712f8c30da9", _("Nieuw")
    CONCEPT = CONCEPTS + "79a52da4-f491-4e2f-9374-89a13cde8ecd", _("Concept")
    SENT = CONCEPTS + "9bd8d86d-bb10-4456-a84e-91e9507c374c", _("Verstuurd")


class StepType(models.TextChoices):
    """Type of a subsidieprocedurestap."""

    APPLICATION = CONCEPTS + "ee855aae-eb10-44aa-ae01-38c4f6cca0f6", _("Aanvraag")
    EXTERNAL = CONCEPTS + "3ded9eab-ff5b-4a20-a095-0825de486f42", _("Externe verwerking")
