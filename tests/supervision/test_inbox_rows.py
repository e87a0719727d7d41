"""The supervisor's inbox reads its rows with one statement (`selectors.inbox_rows`): the same rows, pages and bytes
as the ORM's query it replaced, for every supervisor and filter, and never a row the supervisor may not see."""

import itertools
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loket.organisations.models import Organisation
from loket.supervision import selectors
from loket.supervision.governing_bodies import governing_bodies_of
from loket.supervision.models import Submission, SubmissionReceiver
from loket.supervision.selectors import InboxFilter, inbox_filtered, inbox_for, inbox_page, inbox_rows, keyset_page
from tests.conftest import grant, make_user
from tests.supervision.conftest import BESLUITENLIJST, BUDGET

INBOX = "/toezichthouder/inzendingen/"
MOMENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# What the inbox deferred when it read its rows with the ORM.
ORM_DEFERRED = (
    "source_ttl",
    "form_data_nt",
    "handled_note",
    "document_type__definition",
    "replaces__source_ttl",
    "replaces__form_data_nt",
    "replaces__handled_note",
    "replaces__document_type__definition",
)


def orm_rows(supervisor: Organisation, filters: InboxFilter):  # type: ignore[no-untyped-def]
    """The inbox's rows as the ORM read them before `inbox_rows`."""
    queryset = inbox_filtered(inbox_for(supervisor), filters)
    return selectors.with_relations(queryset, delivered_only=True).select_related("handled_by").defer(*ORM_DEFERRED)


def orm_page(supervisor: Organisation, filters: InboxFilter, cursor: str | None) -> selectors.Page:
    return keyset_page(orm_rows(supervisor, filters), field="sent_at", cursor=cursor)


def _made(organisation, document_type, moment, **fields) -> Submission:  # type: ignore[no-untyped-def]
    values = {
        "organisation": organisation,
        "document_type": document_type,
        "governing_body": governing_bodies_of(organisation)[0],
        "session_date": moment.date() - timedelta(days=10),
        "status": Submission.Status.SENT,
        "form_version": "test",
        "form_data_nt": "<urn:a> <urn:b> <urn:c> .\n",
        "source_ttl": "<urn:a> <urn:b> <urn:c> .\n",
        "content_hash": uuid.uuid4().hex * 2,
        "created_at": moment,
        "modified_at": moment,
        "sent_at": moment,
        "delivered_at": moment + timedelta(seconds=5),
    }
    values.update(fields)
    return Submission.objects.create(**values)


@pytest.fixture
def inbox_cast(agency, municipality, other_municipality, diocese, worship_board, document_types):  # type: ignore[no-untyped-def]
    """Submissions of a municipality, another one (another province), a worship board the first supervises and one
    the second supervises; sent, delivered or not, handled or not, corrected, reopened, received by sharing."""
    municipality.province = "Oost-Vlaanderen"
    municipality.save()
    other_municipality.province = "Limburg"
    other_municipality.save()
    worship_board.province = "Oost-Vlaanderen"
    worship_board.save()
    worship_board.supervised_by.add(municipality, diocese)
    other_board = Organisation.objects.create(
        uri="http://data.lblod.info/id/besturenVanDeEredienst/other-board",
        name="Sint-Martinus",
        kbo="0211156528",
        kind=worship_board.kind,
        province="Limburg",
    )
    other_board.supervised_by.add(other_municipality)
    handler = make_user("hanna-handler")
    types = [document_types[BESLUITENLIJST], document_types[BUDGET]]
    rows: list[Submission] = []
    for index, organisation in enumerate([municipality, other_municipality, worship_board, other_board] * 8):
        moment = MOMENT - timedelta(hours=index * 7)
        handled = {"handled_at": moment + timedelta(days=1), "handled_by": handler} if index % 3 == 0 else {}
        rows.append(_made(organisation, types[index % 2], moment, **handled))
    Submission.objects.filter(pk=rows[0].pk).update(governing_body=None)
    original = rows[2]  # the worship board's
    _made(worship_board, types[1], MOMENT + timedelta(hours=1), replaces=original)  # delivered correction
    _made(worship_board, types[0], MOMENT + timedelta(hours=2), replaces=original, delivered_at=None)  # not yet
    _made(other_board, types[0], MOMENT + timedelta(hours=3), replaces=rows[3], handled_note="x" * 300)
    _made(municipality, types[0], MOMENT + timedelta(hours=4), replaces=rows[4], reopen_reason="heropend")
    _made(municipality, types[1], MOMENT, delivered_at=None)  # sent, not delivered
    _made(municipality, types[1], MOMENT, status=Submission.Status.CONCEPT, sent_at=None, delivered_at=None)
    SubmissionReceiver.objects.create(submission=rows[1], organisation=municipality, reason="test")  # shared
    return {
        "agency": agency,
        "municipality": municipality,
        "other_municipality": other_municipality,
        "diocese": diocese,
        "worship_board": worship_board,
    }


def _state(instance):  # type: ignore[no-untyped-def]
    """An instance's loaded fields and which are deferred (reading a deferred field would query)."""
    if instance is None:
        return None
    deferred = instance.get_deferred_fields()
    fields = type(instance)._meta.concrete_fields
    return deferred, {f.attname: instance.__dict__[f.attname] for f in fields if f.attname not in deferred}


def assert_same_rows(ours: list[Submission], theirs: list[Submission]) -> None:
    assert [s.pk for s in ours] == [s.pk for s in theirs]
    with CaptureQueriesContext(connection) as queries:  # everything the list shows is loaded with the row
        for mine, orm in zip(ours, theirs, strict=True):
            assert _state(mine) == _state(orm)
            assert _state(mine.organisation) == _state(orm.organisation)
            assert _state(mine.organisation.kind) == _state(orm.organisation.kind)
            assert _state(mine.document_type) == _state(orm.document_type)
            assert _state(mine.governing_body) == _state(orm.governing_body)
            assert _state(mine.replaces) == _state(orm.replaces)
            if mine.replaces is not None:
                assert _state(mine.replaces.document_type) == _state(orm.replaces.document_type)
            assert _state(mine.handled_by) == _state(orm.handled_by)
            assert mine.replaced_by_uuid == orm.replaced_by_uuid
            assert mine.reopened is orm.reopened
    assert len(queries) == 0


FILTER_VALUES = {
    "organisation": "004399d3fe8de429aac8c0a91ffe71b6",  # the worship board's key
    "kind": "worship-board-kind",  # replaced by the fixture's kind URI
    "province": "Oost-Vlaanderen",
    "document_type": BUDGET,
    "governing_body": "governing-body",  # replaced by the cast's first body classification
    "session_from": date(2026, 2, 10),
    "session_until": date(2026, 2, 20),
    "sent_from": date(2026, 2, 26),
    "sent_until": date(2026, 3, 1),
    "handled": "no",
    "search": "Aalst",
}


def _filters(inbox_cast) -> list[InboxFilter]:  # type: ignore[no-untyped-def]
    """No filter, every filter alone, every pair, all of them, and malformed or unknown values."""
    values = dict(FILTER_VALUES)
    values["kind"] = inbox_cast["worship_board"].kind.uri
    values["governing_body"] = governing_bodies_of(inbox_cast["worship_board"])[0].classification_uri
    combinations = [InboxFilter()]
    for size in (1, 2):
        for names in itertools.combinations(values, size):
            combinations.append(InboxFilter(**{name: values[name] for name in names}))  # type: ignore[arg-type]
    combinations.append(InboxFilter(**values))  # type: ignore[arg-type]
    combinations += [
        InboxFilter(handled="yes"),
        InboxFilter(handled="maybe"),  # unknown: no filter, as before
        InboxFilter(search="   "),
        InboxFilter(search="0211"),  # KBO digits: name or KBO number
        InboxFilter(search="0211.374"),
        InboxFilter(document_type="http://example.org/no-such-type"),
        InboxFilter(organisation="no-such-key"),
        InboxFilter(kind="http://example.org/no-such-kind", province="Atlantis"),
    ]
    return combinations


SUPERVISORS = ["agency", "municipality", "other_municipality", "diocese", "worship_board"]


def test_every_supervisor_and_filter_gets_the_orms_pages(inbox_cast):  # type: ignore[no-untyped-def]
    compared = 0
    for name in SUPERVISORS:
        supervisor = inbox_cast[name]
        for filters in _filters(inbox_cast):
            cursor: str | None = None
            for _ in range(5):
                ours, theirs = inbox_page(supervisor, filters, cursor=cursor), orm_page(supervisor, filters, cursor)
                assert_same_rows(ours.items, theirs.items)
                assert ours.next_cursor == theirs.next_cursor
                compared += len(ours.items)
                cursor = ours.next_cursor
                if cursor is None:
                    break
            assert cursor is None, (name, filters)
    assert compared > 500  # the cast gives most combinations rows to compare


def test_the_statement_answers_only_what_the_supervisor_may_see(inbox_cast):  # type: ignore[no-untyped-def]
    every_key = list(Submission.objects.values_list("pk", flat=True))
    seen = {}
    for name in SUPERVISORS:
        supervisor = inbox_cast[name]
        with CaptureQueriesContext(connection) as queries:
            found = inbox_rows(supervisor, every_key)
        assert len(queries) == 1
        visible = {s.pk: s for s in orm_rows(supervisor, InboxFilter()).filter(pk__in=every_key)}
        assert sorted(found) == sorted(visible)
        assert_same_rows([found[pk] for pk in sorted(found)], [visible[pk] for pk in sorted(visible)])
        seen[name] = set(found)
    # The cast covers each side of the rule: the agency sees every delivered submission, a municipality the worship
    # boards it supervises and what it receives, and nobody the concept or what is not delivered yet.
    delivered = Submission.objects.filter(status=Submission.Status.SENT, delivered_at__isnull=False)
    assert seen["agency"] == set(delivered.values_list("pk", flat=True))
    assert seen["municipality"] and seen["other_municipality"] and seen["diocese"]
    assert not seen["municipality"] & seen["other_municipality"]
    assert seen["worship_board"] == set()
    assert inbox_rows(inbox_cast["agency"], []) == {}


DETAIL = re.compile(r'href="/toezichthouder/inzendingen/[0-9a-f-]{36}/"')
HTML_NOISE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"provincie": "Oost-Vlaanderen", "behandeld": "no"},
        {"type": BESLUITENLIJST, "zitting_van": "2026-02-10", "verstuurd_tot": "2026-03-01", "zoek": "St."},
        {"zitting_van": "not-a-date", "verstuurd_van": "2026-02-31", "behandeld": "maybe", "na": "garbage"},
        {"soort": "http://example.org/no-such-kind"},
    ],
)
@pytest.mark.parametrize("who", ["agency", "municipality"])
def test_the_inbox_page_is_byte_identical_to_the_orms(client, inbox_cast, monkeypatch, query, who):  # type: ignore[no-untyped-def]
    supervisor = make_user(f"sam-{who}")
    grant(supervisor, inbox_cast[who], ["toezichthouder"])
    client.force_login(supervisor)
    client.get(INBOX)  # the first request stores the organisation in the session
    ours = client.get(INBOX, query)
    monkeypatch.setattr(
        selectors,
        "inbox_rows",
        lambda organisation, keys: {s.pk: s for s in orm_rows(organisation, InboxFilter()).filter(pk__in=keys)},
    )
    theirs = client.get(INBOX, query)
    assert ours.status_code == theirs.status_code == 200
    html = HTML_NOISE.sub("", ours.content.decode())
    assert html == HTML_NOISE.sub("", theirs.content.decode())
    assert len(DETAIL.findall(html)) >= (0 if query.get("soort") else 2)
