"""The HTML of a rendered form: the page's frame, its sections and one writer per widget (see `render`).

Written in Python, not as Django templates: a Toezicht page took 43 includes and about 540 template variable
lookups, 3.2 ms of CPU, now 0.8 ms (bench/README.md, "The form engine's render in Python"). The output is the
templates' byte for byte (tests/forms/test_render_golden.py pins it), with the same escaping rules: every value
goes through `conditional_escape` (a plain string through the `html.escape` it runs), so text from the data and the
form is escaped, and only what is already safe HTML passes: the trusted `form:help` and the `lang="nl"` fallbacks of
`render.Texts`; the engine's own texts are gettext messages (translations are trusted, as `{% translate %}` trusted
them); a message with a placeholder escapes the value it is given, as `{% blocktranslate %}` did.

Each writer appends to `out`, a list of strings joined once at the end.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from .render import Block, FieldView

Out = list[str]


def _e(value: Any) -> str:
    """A value as `{{ value }}` writes it: localized (numbers, booleans), then escaped unless already safe.

    A plain `str` (no `__html__`: not safe) is escaped with `html.escape`, which is what Django's `escape` runs, without
    its lazy-string wrapper (1.6 µs a call against 0.3; a Toezicht page escapes about 250 values, most of them the
    document types' options)."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, str):
        return conditional_escape(value)
    return conditional_escape(str(localize(value)))


def _or(value: Any, default: str) -> str:
    """`{{ value|default:default }}` with a literal (trusted) default."""
    return _e(value) if value else default


def form_page(blocks: list[Block], summary: list[dict[str, Any]], names: list[str], marker: str, action: str) -> str:
    out: Out = ['<div class="semantic-form">\n']
    if summary:
        count = len(summary)
        heading = ngettext(
            "Er is %(counter)s fout in het formulier.", "Er zijn %(counter)s fouten in het formulier.", count
        ) % {"counter": _e(count)}
        out.append(f'<div class="form-summary" role="alert" id="form-summary">\n<h2>{heading}</h2>\n<ul>')
        for item in summary:
            out.append(f'<li><a href="#{_e(item["id"])}">{_e(item["label"])}: {_e(item["message"])}</a></li>')
        out.append("</ul>\n</div>")
    out.append("\n")
    field_marker = _e(marker)
    out.extend(f'<input type="hidden" name="{field_marker}" value="{_e(name)}">' for name in names)
    out.append("\n")
    write_blocks(out, blocks, action)
    out.append("\n</div>\n")
    return "".join(out)


def write_blocks(out: Out, blocks: list[Block], action: str) -> None:
    for counter, block in enumerate(blocks, start=1):
        if block.kind == "section":
            section = block.section
            assert section is not None
            anchor = f"s-{_e(slugify(str(section.node)))}-{counter}"
            level = _e(block.heading_level)
            out.append(
                f'<section class="form-section" aria-labelledby="{anchor}">\n'
                f'<h{level} id="{anchor}">{_e(block.label)}</h{level}>\n'
            )
            if section.description:
                out.append(f'<p class="form-section-description">{_e(section.description)}</p>')
            out.append("\n")
            write_blocks(out, block.blocks, action)
            out.append("\n</section>\n")
        else:
            view = block.view
            assert view is not None
            error_class = " has-error" if view.errors else ""
            out.append(f'<div class="form-field form-field-{_e(view.widget)}{error_class}">\n')
            WIDGETS[view.widget](out, view, action)
            out.append("\n</div>\n")
    out.append("\n")


# -- the parts widgets share ------------------------------------------------------------------------------------
def _aria(view: FieldView, describedby: str) -> str:
    parts = []
    if view.requirement == "required":
        parts.append(' aria-required="true"')
    if view.errors:
        parts.append(' aria-invalid="true"')
    if describedby:
        parts.append(f' aria-describedby="{_e(describedby)}"')
    if view.field.is_disabled:
        parts.append(" disabled")
    if view.field.language:
        parts.append(f' lang="{_e(view.field.language)}"')
    parts.append("\n")
    return "".join(parts)


def _describedby_attribute(describedby: str) -> str:
    return f' aria-describedby="{_e(describedby)}"' if describedby else ""


def _required(view: FieldView) -> str:
    if view.requirement == "required":
        required = gettext("verplicht")
        return f' <span class="required">({required})</span>'
    if view.requirement == "shared":
        text = gettext("verplicht: dit of „%(other)s”, minstens één") % {"other": _e(view.shared_with)}
        return f' <span class="required">({text})</span>'
    return ""


def _label(view: FieldView, view_id: str) -> str:
    return f'<label for="{view_id}">{_e(view.label)}{_required(view)}</label>\n'


def _legend(view: FieldView) -> str:
    return f"<legend>{_e(view.label)}{_required(view)}</legend>\n"


def _help(view: FieldView, view_id: str) -> str:
    description = view.field.description
    if not (view.help or description):
        return "\n"
    text = f"<p>{_e(description)}</p>" if description else ""
    return f'<div class="form-help" id="{view_id}-help">{text}{_e(view.help)}</div>\n'


def _messages(view: FieldView, view_id: str) -> str:
    if not (view.errors or view.warnings):
        return "\n"
    parts = [f'<div id="{view_id}-errors">']
    if view.errors:
        error = gettext("Fout:")
        parts.extend(
            f'<p class="form-error"><span class="visually-hidden">{error} </span>{_e(m)}</p>' for m in view.errors
        )
    if view.warnings:
        warning = gettext("Waarschuwing:")
        parts.extend(
            f'<p class="form-warning"><span class="visually-hidden">{warning} </span>{_e(m)}</p>' for m in view.warnings
        )
    parts.append("</div>\n")
    return "".join(parts)


def _first(values: list[Any], index: int = 0) -> str:
    """`{{ values.N|default:'' }}`"""
    return _or(values[index], "") if len(values) > index else ""


def _options(out: Out, options: list[dict[str, Any]]) -> None:
    for option in options:
        selected = " selected" if option["selected"] else ""
        out.append(f'<option value="{_e(option["value"])}"{selected}>{_e(option["label"])}</option>')


def _invalid(view: FieldView) -> str:
    return ' aria-invalid="true"' if view.errors else ""


def _disabled(view: FieldView) -> str:
    return " disabled" if view.field.is_disabled else ""


# -- the widgets --------------------------------------------------------------------------------------------------
def _input(out: Out, view: FieldView, action: str) -> None:
    view_id, describedby = _e(view.id), view.describedby
    out.append(_label(view, view_id) + "\n" + _help(view, view_id) + "\n")
    if view.prefix:
        out.append(f'<span class="form-prefix" aria-hidden="true">{_e(view.prefix)}</span>')
    step = ' step="any"' if view.input_type == "number" else ""
    mode = ' inputmode="decimal"' if view.prefix else ""
    out.append(
        f'<input type="{_e(view.input_type)}" id="{view_id}" name="{_e(view.name)}" value="{_first(view.values)}"'
        f"{step}{mode}{_aria(view, describedby)}>\n{_messages(view, view_id)}\n"
    )


def _textarea(out: Out, view: FieldView, action: str) -> None:
    view_id, describedby = _e(view.id), view.describedby
    out.append(
        f"{_label(view, view_id)}\n{_help(view, view_id)}\n"
        f'<textarea id="{view_id}" name="{_e(view.name)}" rows="4"{_aria(view, describedby)}>{_first(view.values)}'
        f"</textarea>\n{_messages(view, view_id)}\n"
    )


def _checkbox(out: Out, view: FieldView, action: str) -> None:
    view_id, describedby = _e(view.id), view.describedby
    first = view.values[0] if view.values else None
    checked = " checked" if first == "1" or first == "true" else ""
    out.append(
        f'<input type="checkbox" id="{view_id}" name="{_e(view.name)}" value="1"{checked}{_aria(view, describedby)}>\n'
        f"{_label(view, view_id)}\n{_help(view, view_id)}\n{_messages(view, view_id)}\n"
    )


def _select(out: Out, view: FieldView, action: str) -> None:
    view_id, describedby = _e(view.id), view.describedby
    multiple = " multiple" if view.is_multiple else ""
    out.append(
        f"{_label(view, view_id)}\n{_help(view, view_id)}\n"
        f'<select id="{view_id}" name="{_e(view.name)}"{multiple}{_aria(view, describedby)}>\n'
    )
    if not view.is_multiple:
        choose = gettext("Maak een keuze")
        out.append(f'<option value="">{choose}</option>')
    _options(out, view.options)
    out.append(f"\n</select>\n{_messages(view, view_id)}\n")


def _choices(out: Out, view: FieldView, action: str) -> None:
    view_id, name = _e(view.id), _e(view.name)
    out.append(
        f'<fieldset id="{view_id}" class="form-choices"{_describedby_attribute(view.describedby)}>\n'
        f"{_legend(view)}{_help(view, view_id)}\n"
    )
    kind = "checkbox" if view.is_multiple else "radio"
    disabled = _disabled(view)
    for counter, option in enumerate(view.options, start=1):
        checked = " checked" if option["selected"] else ""
        out.append(
            f'<div><input type="{kind}" id="{view_id}-{counter}" name="{name}" value="{_e(option["value"])}"'
            f'{checked}{disabled}> <label for="{view_id}-{counter}">{_e(option["label"])}</label></div>\n'
        )
    out.append(f"{_messages(view, view_id)}\n</fieldset>\n")


def _daterange(out: Out, view: FieldView, action: str) -> None:
    view_id, name = _e(view.id), _e(view.name)
    states = f"{_invalid(view)}{_disabled(view)}"
    start, end = gettext("Van"), gettext("Tot en met")
    both = gettext("Vul beide data in; een periode met maar één datum wordt niet bewaard.")
    out.append(
        f'<fieldset class="form-daterange" id="{view_id}"{_describedby_attribute(view.describedby)}>\n'
        f"{_legend(view)}{_help(view, view_id)}\n"
        f'<label for="{view_id}-from">{start}</label> <input type="date" id="{view_id}-from" '
        f'name="{name}__from" value="{_first(view.values)}"{states}>\n'
        f'<label for="{view_id}-to">{end}</label> <input type="date" id="{view_id}-to" '
        f'name="{name}__to" value="{_first(view.values, 1)}"{states}>\n'
        f'<p class="form-help">{both}</p>\n'
        f"{_messages(view, view_id)}\n</fieldset>\n"
    )


def _listing(out: Out, view: FieldView, action: str) -> None:
    view_id = _e(view.id)
    listing = view.field.listing
    assert listing is not None
    out.append(f'<fieldset class="form-listing" id="{view_id}">\n<legend>{_e(view.label)}</legend>\n')
    out.append(_help(view, view_id) + "\n")
    for item in view.items:
        out.append(f'<div class="form-listing-item"><p class="form-listing-index">{_e(item["index"])}.</p>\n')
        write_blocks(out, item["blocks"], action)
        out.append("\n")
        if item["remove_action"]:
            label = _or(listing.remove_label, gettext("Verwijderen"))
            remove = _e(item["remove_action"])
            out.append(f'<button type="submit" name="{_e(action)}" value="{remove}">{label}</button>')
        out.append("\n</div>")
    if not view.items:
        empty = _or(listing.no_data_message, gettext("Er zijn nog geen items."))
        out.append(f"<p>{empty}</p>")
    out.append("\n")
    if view.add_action:
        label = _or(listing.add_label, gettext("Toevoegen"))
        out.append(f'<button type="submit" name="{_e(action)}" value="{_e(view.add_action)}">{label}</button>')
    out.append("\n</fieldset>\n")


def _alert(out: Out, view: FieldView, action: str) -> None:
    options = view.options_json
    title = options.get("title")
    out.append(f'<div class="form-alert form-alert-{_or(options.get("skin"), "info")}" role="note" id="{_e(view.id)}">')
    if title:
        out.append(f'<p class="form-alert-title"><strong>{_e(title)}</strong></p>')
    if view.label:
        out.append(f'<div class="form-alert-text">{_e(view.label)}</div>')
    out.append(f"{_e(view.help)}</div>\n")


def _heading(out: Out, view: FieldView, action: str) -> None:
    level = _or(view.options_json.get("level"), "3")
    out.append(f'<h{level} class="form-heading" id="{_e(view.id)}">{_e(view.label)}</h{level}>\n')


def _files(out: Out, view: FieldView, action: str) -> None:
    view_id, name = _e(view.id), _e(view.name)
    out.append(
        f'<fieldset class="form-files"{_describedby_attribute(view.describedby)}>\n'
        f"{_legend(view)}{_help(view, view_id)}\n"
    )
    # Every file this page shows, so that a later post of it removes only those unticked (collect.write_files);
    # the first, empty value says the page showed none when it listed none.
    files = cast(list[tuple[str, str]], view.values)  # a file field's values are (key, name)
    shown = "".join(f'<input type="hidden" name="{name}__shown" value="{_e(uri)}">' for uri, _label in files)
    out.append(f'<input type="hidden" name="{name}__shown" value="">{shown}\n')
    for counter, (uri, label) in enumerate(files, start=1):
        keep = gettext("Bestand %(label)s behouden") % {"label": _e(label)}
        out.append(
            f'<div><input type="checkbox" id="{view_id}-{counter}" name="{name}" value="{_e(uri)}" checked> '
            f'<label for="{view_id}-{counter}">{keep}</label></div>\n'
        )
    add = gettext("Bestand toevoegen")
    accept = view.field.options.get("accept")
    accept_attribute = f' accept="{_e(accept)}"' if accept else ""
    out.append(
        f'<label for="{view_id}">{add}</label>\n'
        f'<input type="file" id="{view_id}" name="{name}__upload" multiple{accept_attribute}'
        f"{_aria(view, view.describedby)}>\n{_messages(view, view_id)}\n</fieldset>\n"
    )


def _urls(out: Out, view: FieldView, action: str) -> None:
    view_id, name = _e(view.id), _e(view.name)
    out.append(
        f'<fieldset class="form-urls"{_describedby_attribute(view.describedby)}>\n'
        f"{_legend(view)}{_help(view, view_id)}\n"
    )
    invalid = _invalid(view)
    for counter, url in enumerate(view.values, start=1):
        input_id = view_id if counter == 1 else f"{view_id}-{counter}"
        link = gettext("Link %(number)s") % {"number": _e(counter)}
        out.append(
            f'<div><label for="{input_id}">{link}</label>\n'
            f'<input type="url" id="{input_id}" name="{name}" value="{_e(url)}"{invalid}></div>\n'
        )
    out.append(f"{_messages(view, view_id)}\n</fieldset>\n")


def _opcentiem(out: Out, view: FieldView, action: str) -> None:
    view_id, name = _e(view.id), _e(view.name)
    disabled = _disabled(view)
    out.append(
        f'<fieldset class="form-opcentiem" id="{view_id}"{_describedby_attribute(view.describedby)}>\n'
        f"{_legend(view)}{_help(view, view_id)}\n"
    )
    if len(view.values) > 1:
        note = gettext(
            "Er kan geen sprake zijn van differentiatie wanneer er bedragen zijn ingevuld. "
            "Maak de bedragen leeg als u differentiatie wilt opgeven."
        )
        out.append(f'<p class="form-note">{note}</p>\n')
    else:
        checked = " checked" if view.is_checked else ""
        differs = gettext("Vink aan indien er sprake is van differentiatie")
        out.append(
            f'<div><input type="checkbox" id="{view_id}-differentiatie" name="{name}__differentiatie" value="1"'
            f'{checked}{disabled}> <label for="{view_id}-differentiatie">'
            f"{differs}</label></div>\n"
        )
    if not view.is_checked:
        amount_label = gettext("Bedrag")
        out.append(
            f'<table class="form-table"><thead><tr><th scope="col" id="{view_id}-amount">{amount_label}</th>'
            "</tr></thead><tbody>\n"
        )
        states = f"{_invalid(view)}{disabled}"
        for amount in view.values:
            out.append(
                f'<tr><td><input type="text" inputmode="decimal" name="{name}" value="{_e(amount)}" '
                f'aria-labelledby="{view_id}-amount"{states}></td></tr>\n'
            )
        help_text = gettext("Een leeg bedrag wordt niet bewaard; na het bewaren verschijnt een nieuwe lege regel.")
        out.append(f'</tbody></table>\n<p class="form-help">{help_text}</p>')
    out.append(f"\n{_messages(view, view_id)}\n</fieldset>\n")


def _articles(out: Out, view: FieldView, action: str) -> None:
    view_id, name = _e(view.id), _e(view.name)
    disabled = _disabled(view)
    out.append(
        f'<fieldset class="form-articles" id="{view_id}"{_describedby_attribute(view.describedby)}>\n'
        f"{_legend(view)}{_help(view, view_id)}\n"
    )
    if not view.options:
        note = gettext("Uw bestuur heeft nog geen verzonden documenten waarnaar een artikel kan verwijzen.")
        out.append(f'<p class="form-note">{note}</p>')
    out.append("\n")
    with_type = bool(view.type_options and view.type_options[0].get("with_type"))
    states = f"{_invalid(view)}{disabled}"
    refers, kind, choose = gettext("Verwijst naar document"), gettext("Type document"), gettext("Maak een keuze")
    for row in view.rows:
        index = _e(row["index"])
        number = gettext("Artikel %(number)s") % {"number": index}
        empty = gettext("(artikel verwijderen)") if row["article"] else choose
        out.append(
            f'<div class="form-article"><p class="form-listing-index">{number}</p>\n'
            f'<input type="hidden" name="{name}__article__{index}" value="{_e(row["article"])}">\n'
            f'<label for="{view_id}-doc-{index}">{refers}</label>\n'
            f'<select id="{view_id}-doc-{index}" name="{name}__doc__{index}"{states}>\n'
            f'<option value="">{empty}</option>'
        )
        _options(out, row["documents"])
        out.append("\n</select>\n")
        if with_type:
            out.append(
                f'<label for="{view_id}-type-{index}">{kind}</label>\n'
                f'<select id="{view_id}-type-{index}" name="{name}__type__{index}"{disabled}>\n'
                f'<option value="">{choose}</option>'
            )
            _options(out, row["types"])
            out.append("\n</select>")
        out.append("</div>\n")
    after = gettext("Na het bewaren verschijnt een nieuwe lege regel voor het volgende artikel.")
    out.append(f'<p class="form-help">{after}</p>\n{_messages(view, view_id)}\n</fieldset>\n')


def _readonly(out: Out, view: FieldView, action: str) -> None:
    view_id = _e(view.id)
    out.append(
        f'<div id="{view_id}" class="form-readonly"><p class="form-readonly-label">{_e(view.label)}</p>\n'
        f"{_help(view, view_id)}\n"
    )
    if view.values:
        out.append("<ul>" + "".join(f"<li>{_e(value)}</li>" for value in view.values) + "</ul>")
    else:
        nothing = gettext("Nog niets ingevuld.")
        out.append(f"<p>{nothing}</p>")
    out.append("\n")
    if view.unsupported:
        note = gettext(
            "Dit veld (weergavetype %(kind)s) kan het Loket hier nog niet bewerken; de waarde wordt alleen getoond en "
            "blijft bewaard."
        ) % {"kind": _e(view.unsupported)}
        out.append(f'<p class="form-note">{note}</p>')
    out.append(f"\n{_messages(view, view_id)}</div>\n")


WIDGETS: dict[str, Callable[[Out, FieldView, str], None]] = {
    "input": _input,
    "textarea": _textarea,
    "checkbox": _checkbox,
    "select": _select,
    "choices": _choices,
    "daterange": _daterange,
    "listing": _listing,
    "alert": _alert,
    "heading": _heading,
    "files": _files,
    "urls": _urls,
    "opcentiem": _opcentiem,
    "articles": _articles,
    "readonly": _readonly,
}
