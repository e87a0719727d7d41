from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "loket.vendors"
    label = "vendors"
    verbose_name = "Leveranciers"
