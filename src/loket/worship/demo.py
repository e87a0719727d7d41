"""Demo data for worship (`manage.py load_demo`): a unit for every imported worship body, religions guessed from
the names (the public file has none; the helpdesk corrects them), the Antwerp boards linked to their diocese,
board periods and mandates, one board fully set up (involvement, positions) and Wim Kerkraad who manages it."""

from django.db import transaction

from loket.accounts.models import Membership, User
from loket.accounts.roles import Role
from loket.accounts.services import membership_grant
from loket.organisations.models import Organisation
from loket.worship.codes import MinisterFunction, Religion
from loket.worship.models import Involvement, MinisterPosition, WorshipUnit
from loket.worship.periods import board_periods_create
from loket.worship.services import worship_units_sync

DEMO_BOARD_KBO = "0211374579"  # St.-Margarita (Tielen), a board of the diocese of Antwerp
DEMO_MUNICIPALITY = "Kasterlee"
WORDS = [
    (("moskee", "islam", "camii", "mosquee"), Religion.ISLAMIC),
    (("protestan", "evangel", "hervormd"), Religion.PROTESTANT),
    (("orthodox",), Religion.ORTHODOX),
    (("anglican", "anglicaan"), Religion.ANGLICAN),
    (("israel", "joodse", "synago"), Religion.ISRAELITE),
]


def _religion_by_name(name: str) -> str:
    lowered = name.lower()
    return next((religion for words, religion in WORDS if any(w in lowered for w in words)), Religion.ROMAN_CATHOLIC)


@transaction.atomic
def worship_demo_load() -> str:
    made = worship_units_sync()
    units = list(WorshipUnit.objects.select_related("organisation").filter(religion=""))
    for unit in units:
        unit.religion = _religion_by_name(unit.organisation.name)
    WorshipUnit.objects.bulk_update(units, ["religion"], batch_size=1000)
    for unit in WorshipUnit.objects.filter(
        kind=WorshipUnit.Kind.BOARD, representative_body=None, organisation__access_manager__isnull=False
    ).select_related("organisation__access_manager"):
        body = WorshipUnit.objects.filter(organisation=unit.organisation.access_manager).first()
        if body is not None:
            unit.representative_body = body
            unit.save(update_fields=["representative_body"])
    counts = board_periods_create()
    board = WorshipUnit.objects.filter(organisation__kbo=DEMO_BOARD_KBO, kind=WorshipUnit.Kind.BOARD).first()
    if board is not None:
        municipality = Organisation.objects.filter(name=DEMO_MUNICIPALITY, kind__category="municipality").first()
        if municipality is not None and not board.involvements.exists():
            Involvement.objects.create(unit=board, organisation=municipality, type="toezichthoudend", percentage=100)
        if not board.minister_positions.exists():
            for function in (MinisterFunction.PASTOR, MinisterFunction.CO_PASTOR):
                MinisterPosition.objects.create(unit=board, function=function)
        user, _created = User.objects.get_or_create(
            username="dev:wim-kerkraad",
            defaults={"first_name": "Wim", "last_name": "Kerkraad", "email": "wim@example.org"},
        )
        membership_grant(
            user=user,
            organisation=board.organisation,
            roles=[Role.WORSHIP_MANDATES.value, Role.WORSHIP_MINISTERS.value, Role.TOEZICHT.value],
            actor=None,
            source=Membership.Source.DEVELOPMENT,
        )
    return f"{made} new units, {counts['mandates_created']} new mandates"
