"""Receipts: signed, checked against the register, rendered as PDF, and checked by anyone on a public page."""

import copy
import hashlib
import io
import json
import re
from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader

from loket.core import signing
from loket.core.ledger import canonical_json, ledger_append
from loket.core.ledger_models import LedgerEntry
from loket.core.receipts import receipt_build, receipt_from_pdf, receipt_pdf, receipt_verify

pytestmark = pytest.mark.django_db

ORG = "http://data.lblod.info/id/bestuurseenheden/aaaa0000-0000-0000-0000-000000000001"
SUBJECT = "http://data.lblod.info/test-subjects/5f0c1e9e"  # no module claims it: no content to compare
CONTENT = hashlib.sha256(b"besluitenlijst").hexdigest()
URL = "/ontvangstbewijs/controleren/"
CHECK_URL = "https://loket.example.be/ontvangstbewijs/controleren/"
BRUSSELS = ZoneInfo("Europe/Brussels")


def _append(kind: str) -> LedgerEntry:
    with transaction.atomic():
        return ledger_append(
            kind=kind,
            subject_uri=SUBJECT,
            organisation_uri=ORG,
            actor_label="Rita Roles",
            content_hash=CONTENT,
            payload={"form": "besluitenlijst"},
            stored_files=(),
        )


@pytest.fixture
def receipt() -> dict:  # type: ignore[type-arg]
    sent = _append("sent")
    delivered = _append("delivered")
    return receipt_build(
        sent=sent,
        delivered=delivered,
        organisation_name="Gemeente Aalst",
        sender_name="Rita Roles",
        document_type="Besluitenlijst",
        check_url=CHECK_URL,
    )


def test_receipt_contents(receipt):  # type: ignore[no-untyped-def]
    sent = LedgerEntry.objects.get(position=1)

    assert receipt["organisation"] == {"name": "Gemeente Aalst", "uri": ORG}
    assert receipt["sender"] == "Rita Roles"
    assert receipt["document_type"] == "Besluitenlijst"
    assert receipt["subject_uri"] == SUBJECT
    assert receipt["content_hash"] == CONTENT
    assert receipt["ledger"] == {
        "sent": {"position": 1, "entry_hash": sent.entry_hash},
        "delivered": {"position": 2, "entry_hash": LedgerEntry.objects.get(position=2).entry_hash},
    }
    assert receipt["sent_at"] == sent.recorded_at.astimezone(BRUSSELS).isoformat(timespec="microseconds")
    assert receipt["sent_at"][-6:] in ("+01:00", "+02:00") and receipt["time_zone"] == "Europe/Brussels"
    assert receipt["check_url"] == CHECK_URL
    assert receipt["tsa_token"] is None
    assert receipt["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert json.loads(json.dumps(receipt)) == receipt


def test_receipt_verifies(receipt):  # type: ignore[no-untyped-def]
    check = receipt_verify(receipt)

    assert check.ok is True
    assert check.message == "Dit ontvangstbewijs is echt en komt overeen met het register van het Loket."


def test_modified_receipt_fails(receipt):  # type: ignore[no-untyped-def]
    forged = copy.deepcopy(receipt)
    forged["content_hash"] = hashlib.sha256(b"iets anders").hexdigest()

    check = receipt_verify(forged)

    assert check.ok is False
    assert check.message.startswith("De handtekening klopt niet")


def test_receipt_signed_with_another_key_fails(receipt, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.LOKET_SIGNING_KEY_FILE = str(tmp_path / "impostor.pem")
    sent, delivered = LedgerEntry.objects.get(position=1), LedgerEntry.objects.get(position=2)
    impostor = receipt_build(
        sent=sent,
        delivered=delivered,
        organisation_name="Gemeente Aalst",
        sender_name="Rita Roles",
        document_type="Besluitenlijst",
        check_url=CHECK_URL,
    )
    settings.LOKET_SIGNING_KEY_FILE = str(tmp_path.parent / "keys-do-not-exist" / "k.pem")  # yet another key

    assert receipt_verify(impostor).ok is False


def test_signed_receipt_without_matching_register_entry_fails(receipt):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_ledgerentry SET content_hash = %s WHERE position = 1", ["0" * 64])

    check = receipt_verify(receipt)

    assert check.ok is False
    assert check.message == "Het register bevat geen verzending die overeenkomt met dit ontvangstbewijs."


def test_receipt_for_missing_delivery_entry_fails(receipt):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_ledgerentry WHERE position = 2")

    check = receipt_verify(receipt)

    assert check.ok is False
    assert check.message == "Het register bevat geen aflevering die overeenkomt met dit ontvangstbewijs."


def test_not_a_receipt():  # type: ignore[no-untyped-def]
    assert receipt_verify([1, 2]).message == "Dit is geen ontvangstbewijs van het Loket."
    assert receipt_verify({"type": "loket-ontvangstbewijs"}).ok is False


def test_receipt_with_timestamp_token(timestamp_authority):  # type: ignore[no-untyped-def]
    sent = _append("sent")
    receipt = receipt_build(
        sent=sent,
        delivered=None,
        organisation_name="Gemeente Aalst",
        sender_name="Rita",
        document_type="Besluitenlijst",
        check_url=CHECK_URL,
    )

    assert receipt["tsa_token"] is not None
    assert receipt["delivered_at"] is None
    assert receipt_verify(receipt).ok is True


def _pdf_string(text: str) -> bytes:
    """How a text appears inside an uncompressed PDF content stream: parentheses escaped."""
    return text.replace("(", "\\(").replace(")", "\\)").encode()


def test_pdf(receipt):  # type: ignore[no-untyped-def]
    pdf = receipt_pdf(receipt)

    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    for text in [
        CONTENT,
        "Ontvangstbewijs",
        "Bestuur",
        "Verzender",
        "Type dossier",
        "Inhoud (SHA-256)",
        "Verzonden op",
        "Afgeleverd op",
        "Positie in het register",
        "Handtekening",
        "Gemeente Aalst",
    ]:
        assert _pdf_string(text) in pdf, text
    assert receipt_pdf(receipt) == pdf


def test_page_shows_form(client):  # type: ignore[no-untyped-def]
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_receipt">Ontvangstbewijs (JSON)' in html
    assert 'enctype="multipart/form-data"' in html
    assert reverse("core:receipt-check") == URL


def test_page_confirms_authentic_receipt(client, receipt):  # type: ignore[no-untyped-def]
    response = client.post(URL, {"receipt": json.dumps(receipt)})

    assert response.status_code == 200
    assert "Dit ontvangstbewijs is echt en komt overeen met het register van het Loket." in response.content.decode()


def test_page_accepts_uploaded_file(client, receipt):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("ontvangstbewijs.json", json.dumps(receipt).encode(), "application/json")

    response = client.post(URL, {"receipt_file": upload})

    assert response.status_code == 200
    assert "Dit ontvangstbewijs is echt" in response.content.decode()


def test_page_rejects_forged_receipt(client, receipt):  # type: ignore[no-untyped-def]
    receipt["sender"] = "Iemand anders"

    response = client.post(URL, {"receipt": json.dumps(receipt)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Niet echt" in html
    assert "De handtekening klopt niet" in html
    assert "Dit ontvangstbewijs is echt" not in html


@pytest.mark.parametrize("body", ["{niet: json", "", "NaN", "[" * 100000])
def test_page_explains_malformed_input(client, body):  # type: ignore[no-untyped-def]
    response = client.post(URL, {"receipt": body})

    html = response.content.decode()
    if body == "NaN":  # valid JSON for Python, but no receipt
        assert response.status_code == 200
        assert "Dit is geen ontvangstbewijs van het Loket." in html
        return
    assert response.status_code == 400
    expected = {
        "{niet: json": "Dit is geen geldige JSON (fout op regel 1, kolom 2).",
        "": "Plak een ontvangstbewijs of kies een JSON-bestand.",
        "[" * 100000: "Dit is geen geldige JSON (te diep genest).",
    }[body]
    assert expected in html
    assert 'class="error-text"' in html


def test_page_explains_malformed_uploaded_file(client):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("ontvangstbewijs.json", b"\xff\xfe{", "application/json")

    response = client.post(URL, {"receipt_file": upload})

    assert response.status_code == 400
    assert "Dit is geen geldige JSON" in response.content.decode()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["organisation", "ledger", "signature", "public_key", "sent_at", "type"]), value=JSON_VALUES
)
def test_any_altered_receipt_is_answered_not_raised(receipt, field, value):  # type: ignore[no-untyped-def]
    altered = {**receipt, field: value}

    check = receipt_verify(altered)

    assert check.ok is (value == receipt[field])
    assert check.message


def test_a_version_1_receipt_with_utc_times_still_checks(receipt):  # type: ignore[no-untyped-def]
    sent = LedgerEntry.objects.get(position=1)
    delivered = LedgerEntry.objects.get(position=2)
    old = {name: value for name, value in receipt.items() if name not in ("signature", "files", "links")}
    old.update(
        version=1,
        sent_at=sent.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
        delivered_at=delivered.recorded_at.astimezone(UTC).isoformat(timespec="microseconds"),
    )
    old["signature"] = signing.sign(canonical_json(old))
    assert receipt_verify(old).ok is True
    old["sent_at"] = sent.recorded_at.astimezone(BRUSSELS).replace(tzinfo=UTC).isoformat()  # same clock, wrong zone
    old["signature"] = signing.sign(canonical_json({k: v for k, v in old.items() if k != "signature"}))
    assert receipt_verify(old).ok is False


def test_the_pdf_carries_the_signed_json_and_the_check_url(receipt):  # type: ignore[no-untyped-def]
    pdf = receipt_pdf(receipt)
    assert json.loads(receipt_from_pdf(pdf)) == receipt
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert CHECK_URL in page.extract_text()
    assert [annotation.get_object()["/A"]["/URI"] for annotation in page["/Annots"]] == [CHECK_URL]


def test_the_verdict_names_the_submission(client, receipt):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("ontvangstbewijs.pdf", receipt_pdf(receipt), "application/pdf")
    response = client.post(URL, {"receipt_file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "Dit ontvangstbewijs is echt" in html
    assert "Gecontroleerde inzending:" in html
    assert f"<dt>Inzending</dt><dd><code>{SUBJECT}</code></dd>" in html
    assert "<dt>Bestuur</dt><dd>Gemeente Aalst</dd>" in html


def test_a_pdf_without_a_receipt_is_explained(client):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("besluit.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    response = client.post(URL, {"receipt_file": upload})
    assert response.status_code == 400
    assert "Deze PDF bevat geen ontvangstbewijs van het Loket" in response.content.decode()


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(
        ["organisation", "ledger", "sent_at", "delivered_at", "files", "subject_uri", "content_hash", "document_type"]
    ),
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
        max_leaves=12,
    ),
)
def test_a_re_signed_odd_receipt_is_answered_not_raised(receipt, field, value):  # type: ignore[no-untyped-def]
    """Past the signature (as if our key had signed nonsense): the register checks never raise either."""
    altered = {name: item for name, item in receipt.items() if name != "signature"}
    altered[field] = value
    altered["signature"] = signing.sign(canonical_json(altered))

    check = receipt_verify(altered)

    same = value == receipt[field] or field == "document_type"  # signed, not in the register
    assert check.ok is same
    assert check.message
