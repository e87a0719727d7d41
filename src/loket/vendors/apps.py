from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "loket.vendors"
    label = "vendors"
    verbose_name = _("Leveranciers")

    def ready(self) -> None:
        # Cache invalidation only (no business rule): whatever changes a vendor, an organisation or who may act for
        # whom (services, the helpdesk's admin, a shell) makes the access check forget its remembered grants.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from loket.organisations.models import Organisation
        from loket.vendors import tasks  # noqa: F401 - registers the vendor jobs' recovery
        from loket.vendors.models import Vendor

        for model in (Vendor, Organisation):
            post_save.connect(_access_changed, sender=model, dispatch_uid=f"vendors-access-{model.__name__}-save")
            post_delete.connect(_access_changed, sender=model, dispatch_uid=f"vendors-access-{model.__name__}-delete")
        m2m_changed.connect(_access_changed, sender=Vendor.organisations.through, dispatch_uid="vendors-access-m2m")


def _access_changed(**kwargs: object) -> None:
    from loket.vendors.access import vendor_access_changed

    vendor_access_changed()
