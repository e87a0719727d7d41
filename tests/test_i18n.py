"""English next to the Dutch source language: the language switch, translated pages, and the committed catalogue
(src/loket/locale/en/LC_MESSAGES/django.po and the compiled django.mo) complete and in step."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")

# Dutch source strings and their English translation, as shown on the landing page of a clerk.
TILE_TITLE = ("Toezicht", "Supervision")
TILE_DESCRIPTION = (
    "Bezorg besluiten en overzichtslijsten aan de toezichthoudende overheid.",
    "Send decisions and summary lists to the supervisory authority.",
)
LOG_OUT = ("Afmelden", "Log out")
MESSAGE_CENTRE = ("Berichtencentrum", "Message centre")


@pytest.fixture(autouse=True)
def back_to_the_default_language():  # type: ignore[no-untyped-def]
    """A request through LocaleMiddleware leaves its language active in the thread; later tests expect Dutch."""
    yield
    translation.deactivate()


def set_language(client, code: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302


# --- pages ---------------------------------------------------------------------------------------------------------


def test_landing_page_in_english(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    set_language(client, "en")
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert f">{TILE_TITLE[1]}</a>" in body
    assert TILE_DESCRIPTION[1] in body
    assert f">{LOG_OUT[1]}</button>" in body
    assert f">{MESSAGE_CENTRE[1]}</a>" in body
    assert "Local Authorities Counter (Loket voor Lokale Besturen)</title>" in body
    assert f">{TILE_TITLE[0]}</a>" not in body
    assert TILE_DESCRIPTION[0] not in body
    assert LOG_OUT[0] not in body
    assert MESSAGE_CENTRE[0] not in body
    # The switch offers the other language by its own name.
    assert 'value="nl"' in body and ">Nederlands</button>" in body


def test_switching_back_to_dutch(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    set_language(client, "en")
    assert LOG_OUT[1] in client.get("/").content.decode()
    set_language(client, "nl")
    body = client.get("/").content.decode()
    assert '<html lang="nl">' in body
    assert f">{TILE_TITLE[0]}</a>" in body
    assert TILE_DESCRIPTION[0] in body
    assert f">{LOG_OUT[0]}</button>" in body
    assert TILE_DESCRIPTION[1] not in body
    assert LOG_OUT[1] not in body


def test_dutch_is_the_default(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    body = client.get("/").content.decode()
    assert '<html lang="nl">' in body and TILE_DESCRIPTION[0] in body and TILE_DESCRIPTION[1] not in body


def test_login_page_in_english(client):  # type: ignore[no-untyped-def]
    set_language(client, "en")
    body = client.get("/aanmelden/").content.decode()
    assert "<h1>Log in</h1>" in body
    assert "Skip to content" in body
    assert "Questions? Helpdesk" in body
    for dutch in (
        "Aanmelden",
        "Naar de inhoud",
        "Vragen? Helpdesk",
        "Er is geen identiteitsprovider",
        "Ontwikkelomgeving",
    ):
        assert dutch not in body


def test_registration_search_page_in_english(client, newcomer, municipality):  # type: ignore[no-untyped-def]
    client.force_login(newcomer)
    set_language(client, "en")
    body = client.get("/toegang-aanvragen/", {"q": "Aalst"}).content.decode()
    assert "<h1>Request access</h1>" in body
    assert "Step 1 of 3: search for your authority by name or KBO number." in body
    assert ">Name or KBO number</label>" in body
    assert ">Search</button>" in body
    assert "<h2>Results</h2>" in body
    for header in ("Authority", "Type", "KBO number", "Province"):
        assert f'<th scope="col">{header}</th>' in body
    assert "Aalst" in body
    for dutch in ("Toegang aanvragen", "Stap 1 van 3", "Naam of KBO-nummer", "Zoeken", "Resultaten", "Provincie"):
        assert dutch not in body

    body = client.get("/toegang-aanvragen/", {"q": "Bestaat niet"}).content.decode()
    assert "No authority found. Check the name or the KBO number (10 digits)." in body


# --- the catalogue -------------------------------------------------------------------------------------------------


def _unquote(line: str) -> str:
    text = line.strip()
    assert text.startswith('"') and text.endswith('"'), line
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}[m.group(1)], text[1:-1])


def parse_po(text: str) -> list[dict]:
    """The entries of a .po file: flags, msgid, msgid_plural and msgstr / msgstr[n] (joined, unescaped)."""
    entries = []
    for block in text.strip().split("\n\n"):
        entry: dict = {"flags": set(), "obsolete": False}
        current = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[current] += _unquote(line)
            else:
                current, _, rest = line.partition(" ")
                entry[current] = _unquote(rest)
        if "msgid" in entry or entry["obsolete"]:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key == "msgstr" or key.startswith("msgstr[")]


def catalogue() -> list[dict]:
    return [entry for entry in parse_po(PO_FILE.read_text(encoding="utf-8")) if entry.get("msgid")]


def test_catalogue_files_exist():  # type: ignore[no-untyped-def]
    assert PO_FILE.is_file() and MO_FILE.is_file()
    assert len(catalogue()) > 300


def test_catalogue_has_no_untranslated_fuzzy_or_obsolete_entries():  # type: ignore[no-untyped-def]
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text and "fuzzy" not in {f for e in parse_po(text) for f in e["flags"]}
    assert not [e for e in parse_po(text) if e["obsolete"]]
    untranslated = [entry["msgid"] for entry in catalogue() if not all(translations(entry))]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:10]}"
    header = parse_po(text)[0]
    assert header["msgid"] == "" and "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]


def test_catalogue_keeps_placeholders():  # type: ignore[no-untyped-def]
    for entry in catalogue():
        expected = sorted(PLACEHOLDER.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        for value in translations(entry):
            found = PLACEHOLDER.findall(value)
            assert set(found) == set(expected), (entry["msgid"], value)
        if "msgid_plural" not in entry:
            assert sorted(PLACEHOLDER.findall(entry["msgstr"])) == expected, entry["msgid"]


def test_committed_mo_matches_the_po():  # type: ignore[no-untyped-def]
    """Every entry of the .po comes out of gettext as written, so the committed .mo was compiled from it."""
    with translation.override("en"):
        for entry in catalogue():
            if "msgid_plural" in entry:
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
                assert translation.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr[1]"]
            else:
                assert translation.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_domain_terms():  # type: ignore[no-untyped-def]
    expected = {
        "Toezicht": "Supervision",
        "Berichtencentrum": "Message centre",
        "Mandatenbeheer": "Mandate management",
        "Leidinggevendenbeheer": "Management of senior officials",
        "Personeelsbeheer": "Staff management",
        "Subsidiebeheer": "Subsidy management",
        "toegangsbeheerder": "access manager",
        "Toezichthouder": "Supervisor",
        "inzending": "submission",
        "Ontvangstbewijs": "Receipt",
        "type dossier": "type of file",
        "bestuursorgaan": "governing body",
        "Zitting": "Session",
        "KBO-nummer": "KBO number",
        "OVO-code": "OVO code",
        "kanaal": "channel",
        "Bestuur": "Authority",
        "Afmelden": "Log out",
        "Aanmelden": "Log in",
    }
    with translation.override("en"):
        assert {dutch: translation.gettext(dutch) for dutch in expected} == expected
        assert translation.ngettext(
            "Er is %(counter)s fout in het formulier.", "Er zijn %(counter)s fouten in het formulier.", 3
        ) % {"counter": 3} == ("There are 3 errors in the form.")
    with translation.override("nl"):
        assert translation.gettext("Afmelden") == "Afmelden"


def test_lazy_labels_follow_the_active_language():  # type: ignore[no-untyped-def]
    from loket.accounts.roles import Role, module_by_code

    module = module_by_code("toezicht")
    assert module is not None
    with translation.override("en"):
        assert str(module.label) == "Supervision" and str(Role.SUPERVISOR.label) == "Supervisor"
    with translation.override("nl"):
        assert str(module.label) == "Toezicht" and str(Role.SUPERVISOR.label) == "Toezichthouder"
