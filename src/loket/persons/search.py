"""The person search of the pages that attach a person to a mandate or a leading function (mandates, officials).

The search form is POSTed, never sent as `?zoek=`: a national register number typed in it must not end up in a URL,
and so not in web-server access logs, proxies or the browser's history (ASVS 8.1.3, 8.3.1, 7.1.2). The page's own
form posts to the same address, carrying the search along in a hidden field; the search button's name tells the two
apart. Template: `persons/_search.html`.

Every search is audited (ASVS 8.3.5: access to personal data): who, for which body, on which page, whether by
national register number or by name, and the persons found by their uuid, so "who looked this person up?" can be
answered. The query itself is not stored: it may be a national register number (ASVS 7.1.1)."""

from dataclasses import dataclass, field

from django.http import HttpRequest

from loket.core.audit import audit_record
from loket.persons.models import Person
from loket.persons.national_number import NationalNumberError, parse_national_number
from loket.persons.selectors import person_find

SEARCH_FIELD = "zoek"
SEARCH_BUTTON = "zoeken"
MAX_QUERY = 200


@dataclass
class PersonSearch:
    query: str = ""
    found: list[Person] = field(default_factory=list)
    submitted: bool = False  # this request was the search (the page's own form was not sent)


def person_search(request: HttpRequest) -> PersonSearch:
    """The search of this request: the search form's, or the one the page's own form carries along in a hidden
    field (so a page shown again with an error still lists the persons found)."""
    if request.method != "POST":
        return PersonSearch()
    query = request.POST.get(SEARCH_FIELD, "").strip()[:MAX_QUERY]
    found = list(person_find(query=query)) if query else []
    submitted = SEARCH_BUTTON in request.POST
    if submitted and query:
        _audit(request, query, found)
    return PersonSearch(query=query, found=found, submitted=submitted)


def _audit(request: HttpRequest, query: str, found: list[Person]) -> None:
    try:
        parse_national_number(query)
        by = "rijksregisternummer"
    except NationalNumberError:
        by = "naam"
    audit_record(
        action="person.searched",
        actor=request.user,
        organisation=getattr(request, "organisation", None),
        by=by,
        found=len(found),
        persons=[str(person.uuid) for person in found],
        page=request.path,
    )
