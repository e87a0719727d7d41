from loket.persons.models import Person


def person_find(*, rrn: str) -> Person | None:
    digits = "".join(c for c in rrn if c.isdigit())
    return Person.objects.filter(rrn=digits).first() if digits else None
