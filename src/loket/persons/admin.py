"""The back office's view of persons: searchable, read-only (persons change only through the modules' services)."""

from django.contrib import admin

from loket.core.admin import ReadOnlyAdmin
from loket.persons.models import Person


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["family_name", "used_given_name", "birth_date", "uuid"]
    search_fields = ["family_name", "used_given_name", "given_names", "=national_number"]
    exclude = ["national_number"]
    readonly_fields = ["uuid", "given_names", "used_given_name", "family_name", "birth_date", "sex", "nationality"]
