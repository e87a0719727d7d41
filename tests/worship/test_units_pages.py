"""Units and involvements in the back office, the nightly report, and the worship roles."""

from decimal import Decimal

import pytest

from loket.accounts.roles import ACM_NAMES, Role
from loket.accounts.services import requestable_roles
from loket.core.models import AuditEvent
from loket.worship.models import Involvement, InvolvementReport, WorshipUnit
from loket.worship.services import InvolvementInput, involvement_report_create, involvements_save

pytestmark = pytest.mark.django_db


def test_sync_makes_one_unit_per_worship_body_and_is_idempotent(units):  # type: ignore[no-untyped-def]
    from loket.worship.services import worship_units_sync

    assert sorted(WorshipUnit.objects.values_list("kind", flat=True)) == [
        "board",
        "board",
        "central_board",
        "representative_body",
    ]
    assert worship_units_sync() == 0


def test_unit_list_shows_a_nameless_board_by_its_kbo_number(client, helpdesk, units):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = client.get("/helpdesk/worship/worshipunit/")
    assert response.status_code == 200
    assert "KBO 0500.123.486" in response.content.decode()


def test_unit_change_sets_religion_and_central_board_audited(client, helpdesk, units):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    board, central, diocese = units["board"], units["central"], units["diocese"]
    response = client.post(
        f"/helpdesk/worship/worshipunit/{board.pk}/change/",
        {
            "religion": "rooms-katholiek",
            "is_cross_border": "on",
            "central_board": central.pk,
            "representative_body": diocese.pk,
            "read_only_modules": ["ministers"],
        },
    )
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.central_board, board.is_cross_border, board.read_only_modules) == (central, True, ["ministers"])
    assert AuditEvent.objects.filter(action="worship.unit_changed").count() == 1


def test_a_protestant_board_has_no_central_board(client, helpdesk, units):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    board = units["board"]
    response = client.post(
        f"/helpdesk/worship/worshipunit/{board.pk}/change/",
        {"religion": "protestants", "central_board": units["central"].pk, "representative_body": ""},
    )
    assert response.status_code == 200
    assert "Alleen Rooms-Katholieke, Islamitische en Orthodoxe besturen hebben een centraal bestuur." in (
        response.content.decode()
    )
    board.refresh_from_db()
    assert (board.religion, board.central_board) == ("rooms-katholiek", None)


def _post(client, unit, lines, **extra):  # type: ignore[no-untyped-def]
    data = {"rows": str(len(lines)), **extra}
    for index, (body, type_, percentage) in enumerate(lines):
        data.update({f"body-{index}": body.pk, f"type-{index}": type_, f"percentage-{index}": percentage})
    return client.post(f"/helpdesk/worship/worshipunit/{unit.pk}/betrokken-besturen/", data)


def test_involvements_page_shows_what_is_missing_and_the_total(client, helpdesk, units, municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = client.get(f"/helpdesk/worship/worshipunit/{units['board'].pk}/betrokken-besturen/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "U dient een toezichthoudende overheid aan te duiden." in page
    assert '<output id="total">0.00</output>' in page


def test_involvements_page_refuses_99_99_and_changes_nothing(client, helpdesk, units, municipality, other_municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = _post(
        client,
        units["board"],
        [(municipality, "toezichthoudend", "66,66"), (other_municipality, "mede-financierend", "33,33")],
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Het totaal van alle percentages moet gelijk zijn aan 100 (nu 99,99)." in page
    assert '<output id="total">99.99</output>' in page
    assert Involvement.objects.count() == 0


def test_involvements_page_saves_a_valid_set(client, helpdesk, units, municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = _post(client, units["board"], [(municipality, "toezichthoudend", "100")])
    assert response.status_code == 302
    assert Involvement.objects.get().percentage == Decimal("100")


def test_involvements_page_says_a_percentage_that_is_no_number(client, helpdesk, units, municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    response = _post(client, units["board"], [(municipality, "toezichthoudend", "honderd")])
    assert response.status_code == 400
    assert "Regel 1: het percentage is geen getal." in response.content.decode()


def test_involvements_page_refuses_a_row_count_that_is_no_number_or_too_large(client, helpdesk, units, municipality):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    _post(client, units["board"], [(municipality, "toezichthoudend", "100")])
    saved = list(Involvement.objects.values_list("pk", "percentage"))
    url = f"/helpdesk/worship/worshipunit/{units['board'].pk}/betrokken-besturen/"
    line = {"body-0": municipality.pk, "type-0": "mede-financierend", "percentage-0": "100"}
    for wrong in ("²", "", "-1", "1½"):  # "²" passes str.isdigit, not int()
        response = client.post(url, {"rows": wrong, **line})
        assert response.status_code == 400, wrong
        assert "Het formulier is onvolledig: het aantal regels ontbreekt of is geen getal." in response.content.decode()
    for huge in ("301", "9999999", "9" * 5000):  # the server drew an empty row for each
        response = client.post(url, {"rows": huge, **line})
        assert response.status_code == 400, huge[:10]
        page = response.content.decode()
        assert "Het formulier heeft te veel regels (hoogstens 300)." in page
        assert page.count('name="percentage-') == 3
    assert list(Involvement.objects.values_list("pk", "percentage")) == saved


def test_involvements_page_is_back_office_only(client, clerk, units):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    response = client.get(f"/helpdesk/worship/worshipunit/{units['board'].pk}/betrokken-besturen/")
    assert response.status_code == 302 and "/helpdesk/login/" in response["Location"]


def test_nightly_report_lists_every_unit_breaking_a_rule(units, municipality, province):  # type: ignore[no-untyped-def]
    involvements_save(
        unit=units["board"],
        rows=[InvolvementInput(organisation=municipality, type="toezichthoudend", percentage=Decimal("100"))],
        actor=None,
    )
    # Bad data that came in around the service (as the 2022 import did): a municipality supervising an Islamic board.
    Involvement.objects.create(unit=units["islamic"], organisation=municipality, type="toezichthoudend", percentage=100)
    report = involvement_report_create()
    assert report.unit_count == 3  # two boards and the central board; the representative body is not judged
    by_name = {row["name"]: row for row in report.rows}
    assert set(by_name) == {"CKB Aalst", "0500123486"}
    assert by_name["CKB Aalst"]["errors"] == ["U dient een toezichthoudende overheid aan te duiden."]
    assert "Bij de eredienst Islamitisch is de toezichthouder de provincie." in by_name["0500123486"]["errors"]
    assert InvolvementReport.objects.count() == 1


def test_report_command_and_page(client, helpdesk, units):  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("worship", "report", stdout=out)
    assert "3 besturen nagekeken, 3 met problemen" in out.getvalue()
    client.force_login(helpdesk)
    report = InvolvementReport.objects.get()
    response = client.get(f"/helpdesk/worship/involvementreport/{report.pk}/change/")
    assert response.status_code == 200
    assert "U dient een toezichthoudende overheid aan te duiden." in response.content.decode()


def test_acm_names_and_worship_roles_offered_to_boards_and_central_boards(units, worship_board, central_board_org):  # type: ignore[no-untyped-def]
    assert ACM_NAMES["LoketLB-eredienstMandaatGebruiker"] == Role.WORSHIP_MANDATES
    assert ACM_NAMES["LoketLB-eredienstBedienaarGebruiker"] == Role.WORSHIP_MINISTERS
    for body in (worship_board, central_board_org):
        offered = requestable_roles(body)
        assert Role.WORSHIP_MANDATES in offered and Role.WORSHIP_MINISTERS in offered
        assert Role.MANDATEN not in offered
