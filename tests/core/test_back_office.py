"""The back office (Django admin) speaks Dutch: headers, every list's columns (also django-tasks-db's), and
success messages with the article the noun takes ("Het bestuur …", "Het platform …")."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.contrib.messages import get_messages
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from loket.core.admin_site import with_article
from loket.core.tasks import send_email

pytestmark = pytest.mark.django_db

# Words that are the same in Dutch and English.
SAME_IN_BOTH = {"id", "uuid", "status", "platform", "code", "URI", "details", "lease", "OCMW"}


def test_every_list_column_has_a_dutch_header():  # type: ignore[no-untyped-def]
    english_defaults = []
    with translation.override("nl"):
        for model, model_admin in admin.site._registry.items():
            for name in model_admin.list_display:
                label = str(label_for_field(name, model, model_admin))
                if label not in SAME_IN_BOTH and label.lower() == name.replace("_", " ").lower():
                    english_defaults.append(f"{model._meta.label}.{name}")
            assert "verbose_name_plural" in model._meta.original_attrs, model  # not Django's English default
    assert english_defaults == []


def test_index_and_task_list_in_dutch(client, helpdesk):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Loket voor Lokale Besturen — back office</a>" in index
    assert "<title>Beheer | Back office van het Loket</title>" in index
    assert ">Achtergrondtaken</a>" in index and ">Auditspoor en register</a>" in index
    assert "Django" not in index and "Task Results" not in index
    assert ">Omzendbrieven</a>" in index and "Circulars" not in index
    send_email.enqueue(to=["iemand@example.org"], subject="Test", body="Test")
    tasks = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    for header in ("Taak", "Status", "In de wachtrij op", "Gestart op", "Beëindigd op", "Prioriteit", "Wachtrij"):
        assert f">{header}</a></div>" in tasks, header
    assert '<td class="field-status">Klaar om te starten</td>' in tasks
    assert ">send_email</a>" in tasks and "enqueued at" not in tasks
    task = DBTaskResult.objects.get()
    detail = client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk])).content.decode()
    assert ">Uitvoeren na:</label>" in detail and ">Foutmelding:</label>" in detail and "Run after" not in detail
    assert f"<title>Achtergrondtaak {task.pk} |" in detail


def test_success_messages_take_the_right_article(client, helpdesk, religiopoint):  # type: ignore[no-untyped-def]
    client.force_login(helpdesk)
    url = reverse("admin:organisations_platform_change", args=[religiopoint.pk])
    response = client.post(
        url,
        {"name": "Religiopoint", "contact_email": "hulp@religiopoint.example", "contact_url": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f'Het platform ‘<a href="{url}">Religiopoint</a>’ is met succes gewijzigd.'
    ]


def test_article_rule():  # type: ignore[no-untyped-def]
    assert with_article("De bestuur ‘Aalst’ is met succes toegevoegd.", "bestuur") == (
        "Het bestuur ‘Aalst’ is met succes toegevoegd."
    )
    assert (
        with_article("De bestuur ‘Aalst’ is met succes gewijzigd. U kunt deze hieronder nogmaals bewerken.", "bestuur")
        == "Het bestuur ‘Aalst’ is met succes gewijzigd. U kunt het hieronder nogmaals bewerken."
    )
    assert with_article("De doelgroep ‘LB’ is met succes gewijzigd.", "doelgroep") == (
        "De doelgroep ‘LB’ is met succes gewijzigd."
    )


def test_every_field_of_the_back_office_has_a_dutch_name():  # type: ignore[no-untyped-def]
    english_defaults = []
    with translation.override("nl"):
        for model in admin.site._registry:
            for field in model._meta.get_fields():
                if not (field.concrete or field.many_to_many) or not hasattr(field, "verbose_name"):
                    continue
                label = str(field.verbose_name)
                if label not in SAME_IN_BOTH and label == field.name.replace("_", " "):
                    english_defaults.append(f"{model._meta.label}.{field.name}")
    assert english_defaults == []


def test_every_list_showing_a_body_fetches_its_kind_with_the_rows():  # type: ignore[no-untyped-def]
    """A body without a name is named by its KBO number and kind: without the kind in the same query, a list of
    such bodies makes one query per row."""
    missing = []
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.list_display:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a method or property column
                continue
            if (
                getattr(field, "related_model", None)
                and field.related_model._meta.label == "organisations.Organisation"
            ):
                if f"{name}__kind" not in (model_admin.list_select_related or []):
                    missing.append(f"{model._meta.label}.{name}")
    assert missing == []


def _language_switch(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The page's set_language form: where it sends back to ("next") and its buttons (language code, name)."""
    import re

    form = page.split('<form action="/i18n/setlang/" method="post"', 1)[1].split("</form>", 1)[0]
    next_url = re.search(r'<input name="next" type="hidden" value="([^"]*)">', form)
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)"[^>]*>([^<]+)</button>', form)
    return (next_url.group(1) if next_url else ""), buttons


def test_the_back_office_has_the_portals_language_switch_and_favicon(client, helpdesk):  # type: ignore[no-untyped-def]
    """The same favicon link and the same language switch (Django's set_language) as the portal's pages, signed in
    and signed out."""
    import re

    client.force_login(helpdesk)
    portal = client.get("/").content.decode()
    favicon = re.search(r'<link rel="icon"[^>]*>', portal)
    assert favicon and "/static/loket/favicon.svg" in favicon.group(0)
    assert _language_switch(portal) == ("/", [("en", "English")])
    members = reverse("admin:accounts_membership_changelist")
    for url in (reverse("admin:index"), members):
        page = client.get(url).content.decode()
        assert page.count(favicon.group(0)) == 1, url
        assert _language_switch(page) == (url, [("en", "English")]), url
    switched = client.post("/i18n/setlang/", {"language": "en", "next": members})
    assert (switched.status_code, switched.headers["Location"]) == (302, members)
    page = client.get(members).content.decode()
    assert '<html lang="en"' in page and "Select membership to view" in page
    assert _language_switch(page) == (members, [("nl", "Nederlands")])
    signed_out = client.post(reverse("admin:logout")).content.decode()
    assert "<h1>Logged out</h1>" in signed_out and favicon.group(0) in signed_out
    # Its switch leads back to the back office (the logout address answers only POST): to the sign-in, in Dutch.
    assert _language_switch(signed_out) == (reverse("admin:index"), [("nl", "Nederlands")])
    back = client.post("/i18n/setlang/", {"language": "nl", "next": reverse("admin:index")}, follow=True)
    assert back.redirect_chain[-1] == ("/helpdesk/login/?next=/helpdesk/", 302)
    assert "<title>Aanmelden | Back office van het Loket</title>" in back.content.decode()


def test_the_add_user_page_says_its_first_sentence_in_dutch(client, helpdesk):  # type: ignore[no-untyped-def]
    # Django 5.2's Dutch catalogue lacks it; the Loket's (locale/nl) has it.
    client.force_login(helpdesk)
    page = client.get(reverse("admin:accounts_user_add")).content.decode()
    dutch = "Nadat u de gebruiker hebt aangemaakt, kunt u meer gegevens en rechten van de gebruiker wijzigen."
    assert f"<p>{dutch}</p>" in page
    assert "After you" not in page
