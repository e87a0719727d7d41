from loket.persons.models import Person


def person_create(*, first_name, last_name, rrn, birth_date, sex, nationality, actor):  # type: ignore[no-untyped-def]
    return Person.objects.create(
        first_name=first_name,
        last_name=last_name,
        rrn="".join(c for c in rrn if c.isdigit()),
        birth_date=birth_date,
        sex=sex,
        nationality=nationality,
    )
