"""The person search of the pages that attach a person to a mandate or a leading function (mandates, officials).

The search form is POSTed, never sent as `?zoek=`: a national register number typed in it must not end up in a URL,
and so not in web-server access logs, proxies or the browser's history (ASVS 8.1.3, 8.3.1, 7.1.2). The page's own
form posts to the same address, carrying the search along in a hidden field; the search button's name tells the two
apart. Template: `persons/_search.html`.

Every search that runs is audited (ASVS 8.3.5: access to personal data): who, for which body, on which page,
whether by national register number or by name, and the persons found by their uuid, so "who looked this person up?"
can be answered. The query itself is not stored: it may be a national register number (ASVS 7.1.1).

Searches are limited per user (`LOKET_PERSON_SEARCH_LIMIT` an hour, default 200: a search and the page's own form
that carries it along count as two, and a council's whole list after the elections fits). Beyond it nothing is
searched, the page says why and until when (HTTP 429), and the first excess of the hour raises a security alert
(`core.throttle`, `core.alerts`): somebody running through national register numbers to learn who is in the register
is the unusual activity a clerk never shows (ASVS 11.1.7)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from loket.core.audit import audit_record
from loket.core.throttle import throttle_hit, throttle_retry_after
from loket.persons.models import Person
from loket.persons.national_number import NationalNumberError, parse_national_number
from loket.persons.selectors import person_find

SEARCH_FIELD = "zoek"
SEARCH_BUTTON = "zoeken"
MAX_QUERY = 200
WINDOW_SECONDS = 3600


@dataclass
class PersonSearch:
    query: str = ""
    found: list[Person] = field(default_factory=list)
    submitted: bool = False  # this request was the search (the page's own form was not sent)
    refused: str = ""  # over the hourly limit: why nothing was searched

    @property
    def status(self) -> int | None:
        """The page's HTTP status when the search decides it (429 when refused), else None."""
        return 429 if self.refused else None


def person_search(request: HttpRequest) -> PersonSearch:
    """The search of this request: the search form's, or the one the page's own form carries along in a hidden
    field (so a page shown again with an error still lists the persons found)."""
    if request.method != "POST":
        return PersonSearch()
    query = request.POST.get(SEARCH_FIELD, "").strip()[:MAX_QUERY]
    submitted = SEARCH_BUTTON in request.POST
    if not query:
        return PersonSearch(submitted=submitted)
    # Every search that runs counts and is audited, also the one the page's own form carries along: that field is
    # the client's to fill, so it must not be a way around the limit or the audit.
    limit = settings.LOKET_PERSON_SEARCH_LIMIT
    if not throttle_hit(key=f"person-search:{request.user.get_username()}", limit=limit, window_seconds=WINDOW_SECONDS):
        minutes = -(-throttle_retry_after(window_seconds=WINDOW_SECONDS) // 60)
        refused = _(
            "U zocht dit uur al %(limit)s keer een persoon op; meer mag niet. Probeer het over %(minutes)s "
            "minuten opnieuw of vraag de helpdesk om hulp."
        ) % {"limit": limit, "minutes": minutes}
        return PersonSearch(query=query, submitted=submitted, refused=refused)
    found = list(person_find(query=query))
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
