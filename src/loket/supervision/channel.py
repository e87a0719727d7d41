"""Toezicht's part of a channel switch (see organisations/channels.py): a body that leaves the Loket for a platform
keeps its concepts. Nobody of the body can open them any more (its members' access ends), so the helpdesk can read
them in the back office and export them (form data as N-Triples, with the files) for the body."""

import io
import zipfile
from collections.abc import Iterable

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loket.organisations.channels import (
    ChannelSwitchEffect,
    ChannelSwitchParticipant,
    channel_switch_participant_register,
)
from loket.organisations.models import Organisation
from loket.supervision.models import Submission


def _concepts(organisation: Organisation) -> int:
    return Submission.objects.filter(organisation=organisation, status=Submission.Status.CONCEPT).count()


def concepts_preview(organisation: Organisation, *, leaving: bool) -> list[ChannelSwitchEffect]:
    count = _concepts(organisation)
    if leaving:
        consequence = _(
            "Ze blijven bewaard en worden niet verstuurd. De helpdesk kan ze inzien en exporteren in de "
            "back-office (Toezicht › Inzendingen, actie 'Exporteren')."
        )
    else:
        consequence = _("Ze blijven bewaard; wie later toegang krijgt met de rol Toezicht, kan ze verder afwerken.")
    return [
        ChannelSwitchEffect(
            key="concepts",
            count=count,
            what=ngettext("%(count)s concept in Toezicht", "%(count)s concepten in Toezicht", count) % {"count": count},
            consequence=consequence,
        )
    ]


def _keep_concepts(*, organisation: Organisation, **_kwargs: object) -> dict[str, int]:
    return {"concepts": _concepts(organisation)}


def register_channel_switch_participant() -> None:
    channel_switch_participant_register(
        ChannelSwitchParticipant(name="supervision", preview=concepts_preview, apply=_keep_concepts)
    )


def submissions_export_zip(submissions: Iterable[Submission]) -> bytes:
    """A zip with, per submission, its form data (Turtle; sent data is N-Triples, a subset) and its uploaded files,
    under the body's key and the submission's uuid."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            folder = f"{submission.organisation.key}/{submission.uuid}"
            data = submission.form_data_nt if submission.is_sent else submission.source_ttl
            archive.writestr(f"{folder}/formulier.ttl", data)
            for stored in submission.files.filter(kind="upload").order_by("pk"):
                if default_storage.exists(stored.storage_name):
                    with default_storage.open(stored.storage_name, "rb") as handle:
                        archive.writestr(f"{folder}/bestanden/{stored.pk}-{stored.original_name}", handle.read())
    return buffer.getvalue()
