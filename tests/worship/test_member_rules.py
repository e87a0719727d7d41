"""The board-member rules of issue point 4, over plain facts (the service and the push use the same function)."""

from datetime import date

from loket.worship.codes import BoardRole
from loket.worship.members import MemberFacts, list_warnings, member_problems

CONTACT = {
    "email": "a@example.org",
    "phone": "+32 3 123 45 67",
    "street": "Kerkstraat",
    "house_number": "1",
    "postcode": "2200",
    "municipality_name": "Herentals",
}
TERM = (date(2023, 4, 1), date(2026, 3, 31))


def row(person, role, start, end=None, term=TERM, key=""):  # type: ignore[no-untyped-def]
    return MemberFacts(person=person, role=role, term_start=term[0], term_end=term[1], start=start, end=end, key=key)


def test_start_is_required_and_end_after_start():  # type: ignore[no-untyped-def]
    assert member_problems(row("p", BoardRole.MEMBER_MINOR_HALF, None), [], contact=CONTACT).errors == {
        "start": ["De startdatum is verplicht."]
    }
    problems = member_problems(
        row("p", BoardRole.MEMBER_MINOR_HALF, date(2024, 1, 1), date(2024, 1, 1)), [], contact=CONTACT
    )
    assert problems.errors == {"end": ["De einddatum moet na de startdatum liggen."]}


def test_contact_is_required():  # type: ignore[no-untyped-def]
    problems = member_problems(
        row("p", BoardRole.MEMBER_MINOR_HALF, date(2024, 1, 1)), [], contact={**CONTACT, "phone": " ", "postcode": ""}
    )
    assert problems.errors == {
        "phone": ["Vul telefoon in: een contactgegeven is verplicht."],
        "postcode": ["Vul postcode in: een contactgegeven is verplicht."],
    }


def test_start_before_term_and_end_after_term_are_warnings():  # type: ignore[no-untyped-def]
    problems = member_problems(
        row("p", BoardRole.MEMBER_MINOR_HALF, date(2023, 1, 1), date(2027, 1, 1)), [], contact=CONTACT
    )
    assert problems.errors == {}
    assert problems.warnings == [
        "De startdatum ligt voor het begin van de termijn van dit mandaat.",
        "De einddatum ligt na het einde van de termijn van dit mandaat.",
    ]


def test_a_second_chair_on_the_same_day_is_refused():  # type: ignore[no-untyped-def]
    others = [
        row("a", BoardRole.CHAIR, date(2023, 4, 1), key="1"),
        row("a", BoardRole.MEMBER_MINOR_HALF, date(2023, 4, 1), key="2"),
    ]
    problems = member_problems(row("b", BoardRole.CHAIR, date(2024, 1, 1)), others, contact=CONTACT)
    assert problems.errors == {"mandate": ["Er is al een voorzitter op die dagen: één voorzitter tegelijk."]}


def test_a_chair_after_the_previous_one_ended_is_fine():  # type: ignore[no-untyped-def]
    others = [
        row("a", BoardRole.CHAIR, date(2023, 4, 1), date(2023, 12, 31), key="1"),
        row("b", BoardRole.MEMBER_MINOR_HALF, date(2023, 4, 1)),
    ]
    problems = member_problems(row("b", BoardRole.CHAIR, date(2024, 1, 1)), others, contact=CONTACT)
    assert problems.errors == {} and problems.warnings == []


def test_changing_the_chair_row_itself_is_no_clash():  # type: ignore[no-untyped-def]
    others = [
        row("a", BoardRole.CHAIR, date(2023, 4, 1), key="1"),
        row("a", BoardRole.EX_OFFICIO, date(2020, 4, 1), term=(date(2020, 4, 1), None)),
    ]
    problems = member_problems(row("a", BoardRole.CHAIR, date(2023, 5, 1), key="1"), others, contact=CONTACT)
    assert problems.errors == {} and problems.warnings == []


def test_an_officer_without_a_member_row_is_a_warning():  # type: ignore[no-untyped-def]
    problems = member_problems(row("a", BoardRole.TREASURER, date(2023, 4, 1)), [], contact=CONTACT)
    assert problems.warnings == [
        "Penningmeester zonder rij als bestuurslid: voeg voor deze persoon ook een rij als bestuurslid toe."
    ]


def test_list_warnings_none_in_current_period_and_over_seven():  # type: ignore[no-untyped-def]
    assert list_warnings([], period=TERM, today=date(2024, 1, 1)) == [
        "Er zijn geen bestuursleden in de huidige periode."
    ]
    assert list_warnings([], period=TERM, today=date(2027, 1, 1)) == []
    eight = [row(str(n), BoardRole.MEMBER_MINOR_HALF, date(2023, 4, 1)) for n in range(8)]
    assert list_warnings(eight, period=TERM, today=date(2024, 1, 1)) == ["Meer dan 7 actieve bestuursleden (8)."]
    seven = [*eight[:6], row("x", BoardRole.SECRETARY, date(2023, 4, 1))]
    assert list_warnings(seven, period=TERM, today=date(2024, 1, 1)) == ["Secretaris zonder rij als bestuurslid."]
