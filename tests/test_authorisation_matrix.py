"""The authorisation matrix, generated from the URL configuration.

Every page declares its rule (`view.loket_access`, see loket.core.access). For every URL pattern we try:
anonymous, a member of another organisation, a member of the own organisation without the role, and one with
the role. Denied means: anonymous → 302 to the login page; logged in without the role → 403; another
organisation's object → 404. A denied request is shown to have changed nothing (row counts per table).
New pages join the matrix automatically; a page without a declared rule fails the test.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from loket.accounts.models import AccessRequest, Membership
from loket.accounts.roles import Role
from loket.accounts.services import access_request_create
from loket.core import access

pytestmark = pytest.mark.django_db

# Third-party URL prefixes with their own, tested protection (Django admin: staff only; i18n: public POST).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_NAMES = {"set_language"}


def _walk(resolver: URLResolver, namespace: str = "", prefix: str = ""):  # type: ignore[no-untyped-def]
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIPPED_NAMES:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), entry


PATTERNS = dict(_walk(get_resolver()))


@pytest.fixture
def cast(municipality, other_municipality, newcomer, helpdesk, agency):  # type: ignore[no-untyped-def]
    """Own organisation = the agency (manager of both municipalities) for manager pages, and the municipality
    for module pages. The objects in URLs belong to the own organisation's sphere."""
    from tests.conftest import grant, make_user

    with_role = make_user("rita-roles")
    grant(with_role, agency, [*Role.values])
    without_role = make_user("otto-onlymessages")
    grant(without_role, agency, [])
    # Another organisation: a diocese-like manager of nothing we own, with every role.
    other = make_user("olga-other")
    grant(other, other_municipality, [*Role.values])
    member = make_user("mia-member")
    membership = grant(member, municipality, [Role.TOEZICHT])
    pending = access_request_create(
        user=newcomer,
        organisation=municipality,
        first_name="N",
        last_name="N",
        email="n@example.org",
        phone="",
        job_title="",
        roles=["toezicht"],
        reason="Bestuurslid",
    )
    submission = _sent_submission(agency, with_role)
    return {
        "with_role": with_role,
        "without_role": without_role,
        "other": other,
        "municipality": municipality,
        "membership": membership,
        "request": pending,
        "submission": submission,
        "helpdesk": helpdesk,
    }


def _sent_submission(organisation, actor):  # type: ignore[no-untyped-def]
    """A sent and delivered submission of the role holder's organisation, with one stored file."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from loket.supervision.codelists import document_types_load
    from loket.supervision.models import DocumentType, SubmissionFile
    from loket.supervision.services import submission_create, submission_deliver, submission_send

    document_types_load()
    submission = submission_create(
        organisation=organisation, actor=actor, document_type=DocumentType.objects.get(label="Besluitenlijst")
    )
    sent = _force_send(submission, actor, submission_send, submission_deliver)
    name = default_storage.save("matrix/besluit.pdf", ContentFile(b"%PDF-1.4 matrix"))
    SubmissionFile.objects.create(
        submission=sent,
        kind="upload",
        storage_name=name,
        original_name="b.pdf",
        size=15,
        sha256=hashlib.sha256(b"%PDF-1.4 matrix").hexdigest(),  # downloads are checked against it
        content_type="application/pdf",
        created_at=timezone.now(),
    )
    return sent


def _force_send(submission, actor, submission_send, submission_deliver):  # type: ignore[no-untyped-def]
    from loket.supervision.governing_bodies import governing_bodies_of
    from loket.supervision.services import submission_update
    from tests.supervision.conftest import name_of

    body = governing_bodies_of(submission.organisation)[0]
    submission_update(
        submission=submission,
        actor=actor,
        data={
            name_of(submission, "documentType"): submission.document_type.uri,
            name_of(submission, "governingBody"): body.uri,
            name_of(submission, "sessionDate"): "2026-01-05",
            name_of(submission, "links"): "https://example.org/besluit.html",
        },
    )
    sent = submission_send(submission=submission, actor=actor)
    submission_deliver(submission_id=sent.pk)
    sent.refresh_from_db()
    return sent


def _kwargs(name: str, pattern: URLPattern, cast: dict) -> dict:  # type: ignore[type-arg]
    converters = set(pattern.pattern.converters)
    values: dict = {}
    if "key" in converters:
        values["key"] = cast["municipality"].key
    if "pk" in converters:
        values["pk"] = cast["membership"].pk if "membership" in name else cast["request"].pk
    if "code" in converters:
        values["code"] = "toezicht"
    if "submission" in converters:
        values["submission"] = cast["submission"].uuid
    if "file" in converters:
        values["file"] = cast["submission"].files.get(kind="upload").uuid
    if "fmt" in converters:
        values["fmt"] = "json"
    if "version" in converters:
        values["version"] = "toezicht-v1.ttl@0"
    if "period" in converters:
        values["period"] = "0"
    if {"member", "minister"} & converters:
        from tests.worship.matrix import worship_row_kwargs

        values.update(worship_row_kwargs(cast, converters))
    if {"term", "holder"} & converters:
        holder = _mandate_holder(cast)
        if "holder" in converters:
            values["holder"] = holder.uuid
        if "term" in converters:
            values["term"] = holder.mandate.term.uuid
    if "unit" in converters:
        from tests.worship.matrix import worship_unit_key

        values["unit"] = worship_unit_key(cast)
    if {"function", "official"} & converters:
        from tests.officials.matrix import officials_kwargs

        values.update(officials_kwargs(cast, converters))
    if {"year", "slice", "confirmation"} & converters:
        from tests.personnel.matrix import personnel_kwargs

        values.update(personnel_kwargs(cast, converters))
    if {"conversation", "circular", "message", "attachment", "draft"} & converters:
        from tests.messaging.matrix import messaging_kwargs

        values.update(messaging_kwargs(cast, converters))
    if {"call", "dossier", "step", "resource"} & converters:
        from tests.subsidies.matrix import subsidies_kwargs

        values.update(subsidies_kwargs(cast, converters))
    if "dataset" in converters:  # open data: a dataset and one of its dumps
        values["dataset"] = "organisaties"
    if "dump_kind" in converters:
        values["dump_kind"] = "nt"
    if "stream" in converters:  # a delta stream of the real Loket's format
        values["stream"] = "mandatarissen"
    if "report" in converters:
        from tests.reports.matrix import reports_kwargs

        values.update(reports_kwargs(cast, converters))
    return values


def _mandate_holder(cast: dict):  # type: ignore[no-untyped-def, type-arg]
    """A gemeenteraad of the own organisation (the agency) with one holder, for the Mandatenbeheer pages."""
    from datetime import date

    from loket.mandates.codes import OrganKind, RoleCode
    from loket.mandates.models import Holder, Mandate, Organ, OrganTerm
    from loket.persons.models import Person

    organisation = cast["with_role"].memberships.get().organisation
    organ = Organ.objects.get_or_create(organisation=organisation, kind=OrganKind.COUNCIL)[0]
    term = OrganTerm.objects.get_or_create(organ=organ, period="2024", defaults={"binding_start": date(2024, 12, 2)})[0]
    mandate = Mandate.objects.get_or_create(term=term, role=RoleCode.COUNCILLOR, defaults={"seats": 3})[0]
    found = Holder.objects.filter(mandate=mandate).first()
    if found:
        return found
    person = Person.objects.create(given_names="M", used_given_name="M", family_name="Matrix")
    return Holder.objects.create(person=person, mandate=mandate, start=date(2025, 1, 6), status="effectief")


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "organisations",
            "core",
            "django_tasks_db",
            "supervision",
            "worship",
            "mandates",
            "persons",
            "messaging",
            "reports",
            "personnel",
            "subsidies",
            "opendata",
        }
        and model._meta.label != "core.AuditEvent"
    }


def _active_state() -> list:  # type: ignore[type-arg]
    return [
        list(Membership.objects.filter(is_active=True).values_list("pk", flat=True).order_by("pk")),
        list(AccessRequest.objects.values_list("pk", "status").order_by("pk")),
    ]


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_every_page_declares_its_rule(name):  # type: ignore[no-untyped-def]
    rule = getattr(PATTERNS[name].callback, "loket_access", None)
    assert rule in (access.PUBLIC, access.LOGIN, access.STAFF) or (isinstance(rule, tuple) and rule[0] == "role"), (
        f"{name} declares no access rule"
    )


@pytest.mark.parametrize("name", sorted(PATTERNS))
@pytest.mark.parametrize("method", ["get", "post"])
def test_matrix(client, cast, name, method):  # type: ignore[no-untyped-def]
    pattern = PATTERNS[name]
    rule = pattern.callback.loket_access
    url = reverse(name, kwargs=_kwargs(name, pattern, cast))
    before = (_counts(), _active_state())
    response = getattr(client, method)(url)
    if rule == access.PUBLIC:  # open to all, but an empty request changes nothing and is never a 500
        assert response.status_code < 500
        assert (_counts(), _active_state()) == before
        return
    assert response.status_code == 302 and "/aanmelden/" in response["Location"], "anonymous must be sent to login"
    assert (_counts(), _active_state()) == before
    if rule == access.LOGIN:
        return
    if rule == access.STAFF:  # agency staff only: every other user, whatever their roles, gets 403
        for user in (cast["without_role"], cast["with_role"], cast["other"]):
            client.force_login(user)
            assert getattr(client, method)(url).status_code == 403, f"{name}: {user} is not staff"
            assert (_counts(), _active_state()) == before
        client.force_login(cast["helpdesk"])
        assert client.get(url).status_code in (200, 405), f"{name}: staff must get the page"
        return
    _, role = rule
    client.force_login(cast["without_role"])
    response = getattr(client, method)(url)
    assert response.status_code == 403, f"{name}: a member without {role} must get 403"
    assert (_counts(), _active_state()) == before
    client.force_login(cast["other"])
    response = getattr(client, method)(url)
    if {
        "key",
        "pk",
        "submission",
        "member",
        "minister",
        "unit",
        "conversation",
        "circular",
        "message",
        "function",
        "report",
        "slice",
        "confirmation",
        "dossier",
    } & set(pattern.pattern.converters):
        allowed = {404} if method == "post" else {404, 405}  # GET on a POST-only page may say 405 first
        assert response.status_code in allowed, f"{name}: another organisation's object must be 404"
    assert (_counts(), _active_state()) == before
    client.force_login(cast["with_role"])
    response = client.get(url)
    assert response.status_code in (200, 405), f"{name}: the role holder must get the page"
