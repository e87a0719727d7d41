"""The back office's view of persons: searchable, read-only (persons change only through the modules' services).

A search term that is a national register number also finds its person, by the number's index (the number itself is
not stored, see `number_protection.py`); the index and the seal are never shown."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from loket.core.admin import ReadOnlyAdmin
from loket.persons.models import Person
from loket.persons.national_number import NationalNumberError, parse_national_number
from loket.persons.selectors import persons_with_national_number


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "used_given_name", "birth_date", "uuid"]
    search_fields = ["family_name", "used_given_name", "given_names"]
    exclude = ["national_number_index", "national_number_sealed"]
    readonly_fields = [
        "uuid",
        "given_names",
        "used_given_name",
        "family_name",
        "birth_date",
        "sex",
        "nationality",
        "unreferenced_since",  # the retention's marks (persons/retention.py)
        "published_in",
    ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            digits = parse_national_number(search_term.strip()).digits
        except NationalNumberError:
            return found, may_have_duplicates
        by_number = queryset.filter(pk__in=persons_with_national_number(digits).values("pk"))
        return found | by_number, may_have_duplicates
