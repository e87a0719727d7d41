"""The governing bodies (bestuursorganen) of an organisation. The Loket has no organ register of its own yet;
each organisation gets the organs its kind has by law, created the first time they are needed, with stable URIs
(`{base}/id/bestuursorganen/<uuid>`)."""

import uuid

from django.conf import settings

from loket.organisations.models import Organisation, OrganisationKind
from loket.supervision.models import GoverningBody

_B = "http://data.vlaanderen.be/id/concept/BestuursorgaanClassificatieCode/"
_C = OrganisationKind.Category
ORGANS_BY_CATEGORY: dict[str, list[tuple[str, str]]] = {
    _C.MUNICIPALITY: [
        (_B + "5ab0e9b8a3b2ca7c5e000005", "Gemeenteraad"),
        (_B + "5ab0e9b8a3b2ca7c5e000006", "College van Burgemeester en Schepenen"),
        (_B + "4955bd72cd0e4eb895fdbfab08da0284", "Burgemeester"),
    ],
    _C.OCMW: [
        (_B + "5ab0e9b8a3b2ca7c5e000007", "Raad voor Maatschappelijk Welzijn"),
        (_B + "5ab0e9b8a3b2ca7c5e000008", "Vast Bureau"),
        (_B + "5ab0e9b8a3b2ca7c5e000009", "Bijzonder Comité voor de Sociale Dienst"),
    ],
    _C.PROVINCE: [
        (_B + "5ab0e9b8a3b2ca7c5e00000c", "Provincieraad"),
        (_B + "5ab0e9b8a3b2ca7c5e00000d", "Deputatie"),
        (_B + "180a2fba-6ca9-4766-9b94-82006bb9c709", "Gouverneur"),
    ],
    _C.DISTRICT: [
        (_B + "5ab0e9b8a3b2ca7c5e00000a", "Districtsraad"),
        (_B + "5ab0e9b8a3b2ca7c5e00000b", "Districtscollege"),
    ],
    _C.WORSHIP_BOARD: [(_B + "04f65457bf125b2dc59fd71917ac3d08", "Kerkraad")],
    _C.CENTRAL_WORSHIP_BOARD: [(_B + "0d985699479162198b889f10e4f1a8ce", "Centraal kerkbestuur")],
    _C.REPRESENTATIVE_BODY: [(_B + "0dbc70ec-6be9-4997-b8e1-11b6c0542382", "Bevoegd beslissingsorgaan")],
}
DEFAULT_ORGANS = [
    (_B + "013cc838-173a-4657-b1ae-b00c048df943", "Raad van bestuur"),
    (_B + "b52094ff-21a2-4da8-8dbe-f513365d1528", "Algemene vergadering"),
]


def governing_bodies_of(organisation: Organisation) -> list[GoverningBody]:
    bodies = list(GoverningBody.objects.filter(organisation=organisation).order_by("label"))
    if bodies:
        return bodies
    category = organisation.kind.category if organisation.kind_id else _C.OTHER  # type: ignore[union-attr]
    organs = ORGANS_BY_CATEGORY.get(category, DEFAULT_ORGANS)
    # ignore_conflicts: another request may create the same organs at the same moment
    GoverningBody.objects.bulk_create(
        [
            GoverningBody(
                organisation=organisation,
                classification_uri=classification,
                label=label,
                uri=f"{settings.LOKET_URI_BASE}/id/bestuursorganen/{uuid.uuid4()}",
            )
            for classification, label in organs
        ],
        ignore_conflicts=True,
    )
    return list(GoverningBody.objects.filter(organisation=organisation).order_by("label"))
