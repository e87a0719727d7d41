"""Objects of the authorisation matrix's own organisation (the agency) for Subsidiebeheer's pages: a call open to
the agency only (explicit list: another body's start is refused and changes nothing), the agency's dossier with its
first step sent (so the receipt exists)."""


def subsidies_kwargs(cast: dict, converters: set[str]) -> dict:  # type: ignore[type-arg]
    from loket.subsidies import services
    from loket.subsidies.terms import StepType
    from tests.subsidies.conftest import brussels, make_call, valid_data

    if "subsidies" not in cast:
        user = cast["with_role"]
        agency = user.memberships.get().organisation
        call = make_call(
            bodies=[agency],
            steps=[
                ("Aanvraag", StepType.APPLICATION, brussels(2020, 1, 1), brussels(2099, 12, 31, 23, 59, 59)),
                ("Opvolging", StepType.EXTERNAL, brussels(2020, 1, 1), brussels(2099, 12, 31, 23, 59, 59)),
            ],
        )
        dossier = services.dossier_start(call=call, organisation=agency, actor=user)
        first = call.flow.steps.get(order=0)
        form = services.form_for(dossier=dossier, step=first)
        services.step_save_and_submit(dossier=dossier, step=first, actor=user, data=valid_data(form))
        cast["subsidies"] = {"call": call.uuid, "dossier": dossier.uuid, "step": first.uuid, "resource": dossier.uuid}
    return {name: value for name, value in cast["subsidies"].items() if name in converters}
