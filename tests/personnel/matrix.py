"""Objects of the authorisation matrix's own organisation (the agency) for Personeelsbeheer's pages: an opened
period with both datasets for the agency (made by the service for that one body: the agency is not eligible, the
matrix is about access), every cell filled and confirmed, so the receipt exists."""


def personnel_kwargs(cast: dict, converters: set[str]) -> dict:  # type: ignore[type-arg]
    from loket.organisations.models import Organisation
    from loket.personnel.models import EmployeePeriodSlice
    from loket.personnel.services import figures_save, period_confirm, period_open
    from tests.personnel.conftest import full_entries

    if "personnel" not in cast:
        user = cast["with_role"]
        agency = user.memberships.get().organisation
        period_open(year=2026, organisations=Organisation.objects.filter(pk=agency.pk))
        from loket.personnel.models import PersonnelPeriod

        period = PersonnelPeriod.objects.get(year=2026)
        figures_save(actor=user, organisation=agency, period=period, entries=full_entries())
        confirmation = period_confirm(actor=user, organisation=agency, period=period)
        heads = EmployeePeriodSlice.objects.get(dataset__organisation=agency, dataset__unit="koppen")
        cast["personnel"] = {"year": 2026, "slice": heads.uuid, "confirmation": confirmation.uuid, "cell": 0}
    return {name: value for name, value in cast["personnel"].items() if name in converters}
