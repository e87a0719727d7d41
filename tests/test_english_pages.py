"""In English, sentences are English throughout: every page (the URL configuration's pages as the person who may
see them, and the back office's lists) is fetched in English, and its visible text — outside elements marked
lang="nl" and apart from proper names and data (names of bodies, kinds, document types, governing bodies) — must
not contain frequent Dutch words. The Toezicht form's labels and help are included: they come from the form's @en
literals or fall back to Dutch marked lang="nl"."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from loket.organisations.models import Organisation, OrganisationKind, Platform
from loket.supervision.models import DocumentType, GoverningBody
from loket.worship.models import DispatchRule
from tests.test_authorisation_matrix import PATTERNS, _kwargs, cast  # noqa: F401 - cast is a fixture

pytestmark = pytest.mark.django_db

# Frequent Dutch words that are not English words.
DUTCH_WORDS = frozenset(
    "de het een van en niet voor wordt worden naar bij uw aan met deze dit geen kunt ook nog hebt heeft zijn moet "
    "wie hoe waar uit tot door alle meer hier dan maar welke wat u op te om er als werd kan zal wij onze".split()
)
# Names that stay Dutch in English text (proper names of the Loket and the agency; the language names).
PROPER_NAMES = ["Loket voor Lokale Besturen", "Agentschap Binnenlands Bestuur", "Nederlands", "Vlaanderen"]
SKIPPED_TAGS = {"script", "style", "pre", "code", "textarea", "svg"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class VisibleText(HTMLParser):
    """The text a reader sees or hears, without what is marked lang="nl"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skip = tag in SKIPPED_TAGS or (values.get("lang") or "").startswith("nl")
        if not self.hidden and not skip:
            self.parts += [values[name] or "" for name in SHOWN_ATTRIBUTES if values.get(name)]
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def data_names() -> list[str]:
    names = [
        *Organisation.objects.exclude(name="").values_list("name", flat=True),
        *OrganisationKind.objects.values_list("label", flat=True),
        *DocumentType.objects.values_list("label", flat=True),
        *GoverningBody.objects.values_list("label", flat=True),
        *Platform.objects.values_list("name", flat=True),
        *DispatchRule.objects.values_list("name", flat=True),  # worship dispatch rules: data the agency names
        # Django stores permission names once, as "Can add <verbose name>" (rows, not translated on display)
        *Permission.objects.values_list("name", flat=True),
        *PROPER_NAMES,
    ]
    return sorted(set(names), key=len, reverse=True)  # longest first: "Bestuur van de eredienst" before "Bestuur"


def dutch_words_in(html: str, names: list[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.parts)
    text = re.sub(r"\S+@\S+|https?://\S+|\S+\.(?:pdf|ttl|csv|json)\b|\b[0-9a-f-]{16,}\b", " ", text)
    for name in names:
        text = text.replace(name, " ")
    found = []
    for line in re.split(r"[\n.!?]", text):
        words = re.findall(r"[A-Za-zÀ-ÿ]+", line)
        dutch = [w for w in words if w.lower() in DUTCH_WORDS]
        if dutch:
            found.append(" ".join(line.split())[:160])
    return found


def english(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302


def test_every_page_is_english_in_english(client, cast, helpdesk, newcomer, settings):  # type: ignore[no-untyped-def] # noqa: F811
    from loket.supervision.services import submission_create

    names = data_names()
    pages = {}
    english(client)
    pages["accounts:login (anonymous)"] = client.get(reverse("accounts:login"))
    pages["home (anonymous)"] = client.get("/")
    pages["not found"] = client.get("/bestaat-niet/")
    settings.DEBUG, settings.LOKET_DEV_LOGIN = True, True
    pages["development login"] = client.get(reverse("accounts:dev-login"))
    settings.DEBUG = False
    client.force_login(newcomer)
    english(client)
    pages["request detail (applicant)"] = client.get(reverse("accounts:request-detail", args=[cast["request"].pk]))
    pages["home (newcomer)"] = client.get("/")
    client.force_login(cast["without_role"])
    english(client)
    pages["forbidden"] = client.get(reverse("supervision:list"))
    client.force_login(cast["with_role"])
    english(client)
    for name, pattern in sorted(PATTERNS.items()):
        url = reverse(name, kwargs=_kwargs(name, pattern, cast))
        pages[name] = client.get(url)
    concept = submission_create(
        organisation=cast["submission"].organisation,
        document_type=cast["submission"].document_type,
        actor=cast["with_role"],
    )
    pages["concept form"] = client.get(reverse("supervision:edit", args=[concept.uuid]))
    client.force_login(helpdesk)
    english(client)
    pages["admin:index"] = client.get(reverse("admin:index"))
    for model in admin.site._registry:
        opts = model._meta
        pages[f"admin:{opts.label}"] = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        first = model._default_manager.order_by("pk").first()
        # A task's arguments are data (a mail's text in its recipient's language), not the page's words.
        if first is not None and opts.label != "django_tasks_database.DBTaskResult":
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            pages[f"admin:{opts.label} change"] = client.get(change)
    problems = {}
    for name, response in pages.items():
        if response.status_code not in (200, 403, 404) or not response["Content-Type"].startswith("text/html"):
            continue
        found = dutch_words_in(response.content.decode(), names)
        if found:
            problems[name] = found
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_check_finds_dutch_and_respects_marked_text_and_names():  # type: ignore[no-untyped-def]
    page = (
        "<p>Questions? Ask de helpdesk van het Loket.</p><p lang='nl'>Vragen? Mail <b>de helpdesk</b>.</p>"
        "<p title='Klik hier'>Aalst — Bestuur van de eredienst is sent.</p><script>var de = 1;</script>"
    )
    assert dutch_words_in(page, ["Bestuur van de eredienst", "Aalst"]) == ["Ask de helpdesk van het Loket", "Klik hier"]
    assert dutch_words_in("<p>Everything in English, of course.</p>", []) == []
