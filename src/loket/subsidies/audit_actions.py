"""The audit trail's words for Subsidiebeheer."""

from django.utils.translation import gettext_lazy as _

from loket.core.audit import audit_action_register

audit_action_register(
    "subsidies.dossier_started",
    label=_("Subsidiedossier gestart"),
    sentence=_("Subsidiedossier voor '%(call)s' gestart."),
)
audit_action_register(
    "subsidies.form_saved",
    label=_("Subsidiestap bewaard"),
    sentence=_("Stap '%(step)s' als concept bewaard."),
)
audit_action_register(
    "subsidies.step_sent",
    label=_("Subsidiestap verstuurd"),
    sentence=_("Stap '%(step)s' verstuurd (registratie %(ledger_position)s)."),
)
audit_action_register(
    "subsidies.dossier_deleted",
    label=_("Subsidiedossier verwijderd"),
    sentence=_("Subsidiedossier voor '%(call)s' verwijderd."),
)
audit_action_register(
    "subsidies.deadline_extended",
    label=_("Subsidiedeadline verlengd"),
    sentence=_("Deadline van '%(step)s' (%(call)s) verlengd tot %(end)s voor %(bodies)s besturen. Reden: %(reason)s"),
)
audit_action_register(
    "subsidies.step_reopened",
    label=_("Subsidiestap heropend"),
    sentence=_("Stap '%(step)s' heropend. Reden: %(reason)s"),
)
audit_action_register(
    "subsidies.step_appended",
    label=_("Subsidiestap toegevoegd"),
    sentence=_("Stap '%(step)s' toegevoegd aan '%(call)s' (%(dossiers)s dossiers). Reden: %(reason)s"),
)
audit_action_register(
    "subsidies.definitions_loaded",
    label=_("Subsidiedefinities geladen"),
    sentence=_("Subsidiedefinities geladen uit %(file)s."),
)
