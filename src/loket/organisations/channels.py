"""What a channel switch does to the rest of the Loket, told by the modules that know it.

A body that leaves the Loket for a platform (e.g. Religiopoint) loses its members' access, its pending requests
lapse, its concepts stay behind. `organisations` is a lower floor than `accounts` and the modules, so it cannot
know those things itself; each of them registers a *participant* here (at app start, in its `apps.py`). The switch
service calls every participant, in registration order, inside its own transaction:

- `preview(organisation, leaving=...)` — before the switch, for the confirmation page: how many of what, and what
  happens to each (so the helpdesk decides knowing the consequences). `leaving=False` asks the same for ending all
  access while the body stays on the Loket (the access manager's "remove all access");
- `apply(organisation, actor, reason, platform)` — during the switch: do it, and say how many.

A registry rather than Django signals: the switch must get answers back (counts for the page and the decision),
run the participants in a known order inside one transaction, and fail as a whole when one of them fails — a call
the reader can follow, not a broadcast.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loket.organisations.models import Organisation, Platform


@dataclass(frozen=True)
class ChannelSwitchEffect:
    """One consequence of leaving the Loket: `count` things (`what`), and what happens to them."""

    key: str
    count: int
    what: str
    consequence: str


@dataclass(frozen=True)
class ChannelSwitchParticipant:
    name: str
    preview: Callable[..., list[ChannelSwitchEffect]]  # (organisation, *, leaving: bool) -> effects
    apply: Callable[..., dict[str, int]]  # (*, organisation, actor, reason, platform) -> counts by key


_PARTICIPANTS: dict[str, ChannelSwitchParticipant] = {}


def channel_switch_participant_register(participant: ChannelSwitchParticipant) -> None:
    _PARTICIPANTS[participant.name] = participant


def channel_switch_preview(organisation: Organisation, *, leaving: bool = True) -> list[ChannelSwitchEffect]:
    """Everything leaving the Loket for a platform (or, `leaving=False`, ending all access) would affect."""
    return [
        effect
        for participant in _PARTICIPANTS.values()
        for effect in participant.preview(organisation, leaving=leaving)
    ]


def channel_switch_apply(
    *, organisation: Organisation, actor: Any, reason: str, platform: Platform | None
) -> dict[str, int]:
    """Let every participant act on the switch to `platform` (call inside the switch's transaction)."""
    counts: dict[str, int] = {}
    for participant in _PARTICIPANTS.values():
        counts.update(participant.apply(organisation=organisation, actor=actor, reason=reason, platform=platform))
    return counts
