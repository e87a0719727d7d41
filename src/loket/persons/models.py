from django.db import models


class Person(models.Model):
    """LOCAL STUB (never committed): stands in for the shared persons app until it is on main."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    rrn = models.CharField(max_length=11, blank=True, db_index=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    nationality = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
