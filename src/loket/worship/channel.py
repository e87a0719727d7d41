"""Worship's part of a channel switch (organisations/channels.py): board members and ministers stay. On a platform
they are read-only in the Loket ("beheerd via <platform>") and change only through the platform's push; after a
switch back to the Loket they stay, with their provenance, and are editable again (`boards.read_only_reason`
reads the channel, so nothing is rewritten by the switch itself)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from loket.organisations.channels import (
    ChannelSwitchEffect,
    ChannelSwitchParticipant,
    channel_switch_participant_register,
)
from loket.organisations.models import Organisation
from loket.worship.models import BoardMember, Minister


def _counts(organisation: Organisation) -> tuple[int, int]:
    members = BoardMember.objects.filter(unit__organisation=organisation, hidden="").count()
    ministers = Minister.objects.filter(position__unit__organisation=organisation, hidden="").count()
    return members, ministers


def rows_preview(organisation: Organisation, *, leaving: bool) -> list[ChannelSwitchEffect]:
    if not hasattr(organisation, "worship_unit"):
        return []
    members, ministers = _counts(organisation)
    if leaving:
        consequence = _(
            "Ze blijven bewaard en zijn in het Loket alleen nog te lezen; het platform levert ze voortaan aan."
        )
    else:
        consequence = _("Ze blijven bewaard.")
    return [
        ChannelSwitchEffect(
            key="worship_rows",
            count=members + ministers,
            what=ngettext("%(members)s bestuurslid", "%(members)s bestuursleden", members) % {"members": members}
            + ", "
            + ngettext("%(ministers)s bedienaar", "%(ministers)s bedienaren", ministers) % {"ministers": ministers},
            consequence=consequence,
        )
    ]


def _keep_rows(*, organisation: Organisation, **_kwargs: object) -> dict[str, int]:
    members, ministers = _counts(organisation)
    return {"worship_board_members": members, "worship_ministers": ministers}


def register_channel_switch_participant() -> None:
    channel_switch_participant_register(
        ChannelSwitchParticipant(name="worship", preview=rows_preview, apply=_keep_rows)
    )
