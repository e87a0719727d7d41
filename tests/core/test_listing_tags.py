"""`{% load listing %}` writes exactly what Django's `date` filter and `{% url %}` write, in Dutch and English, for
every month, across the daylight-saving changes (aware datetimes are shown in Europe/Brussels), and for no value."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from loket.core.templatetags.listing import uuid_url_prefix

OURS = Template(
    "{% load listing %}[{{ v|day_month }}][{{ v|day_month|default:'—' }}]"
    "{% if time %}[{{ v|day_month_time }}][{{ v|day_month_time|default:'—' }}]{% endif %}"
)
DJANGOS = Template(
    "[{{ v|date:'j M Y' }}][{{ v|date:'j M Y'|default:'—' }}]"
    "{% if time %}[{{ v|date:'j M Y H:i' }}][{{ v|date:'j M Y H:i'|default:'—' }}]{% endif %}"
)


def _values() -> list[object]:
    values: list[object] = [None, ""]
    for month in range(1, 13):
        values.append(date(2026, month, 1 + (month * 5) % 28))
        values.append(datetime(2026, month, 3, 23, 7, 5, tzinfo=UTC))  # the next day in Brussels
        values.append(datetime(2025, month, 28, 0, 0, tzinfo=UTC))
    start = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # the night of the change to summer time, and to winter time
    values += [start + timedelta(minutes=31 * step) for step in range(12)]
    values += [datetime(2026, 10, 24, 22, 0, tzinfo=UTC) + timedelta(minutes=31 * step) for step in range(12)]
    return values


@pytest.mark.parametrize("language", ["nl", "en"])
def test_dates_are_written_byte_for_byte_as_the_date_filter_writes_them(language: str) -> None:
    checked = 0
    with translation.override(language):
        for value in _values():
            context = {"v": value, "time": type(value) is not date}  # Django refuses a date a time
            assert OURS.render(Context(context)) == DJANGOS.render(Context(context)), value
            checked += 1
    assert checked > 60
    with translation.override(language):
        march = OURS.render(Context({"v": date(2026, 3, 9)}))
    assert march.startswith("[9 Mrt 2026]" if language == "nl" else "[9 Mar 2026]")


@pytest.mark.parametrize("name", ["supervision:edit", "supervision:inbox-detail"])
def test_a_row_url_is_the_url_tag_s(name: str) -> None:
    key = uuid.uuid4()
    ours = Template("{% load listing %}{{ prefix|uuid_url:key }}").render(
        Context({"prefix": uuid_url_prefix(name), "key": key})
    )
    assert ours == Template(f"{{% url '{name}' key %}}").render(Context({"key": key}))
    assert ours.endswith(f"/{key}/")


def test_a_url_that_does_not_end_in_its_key_is_refused() -> None:
    with pytest.raises(ValueError):
        uuid_url_prefix("supervision:delete")
