from django.db import models

from renda.workflow.models import Case


class Petition(Case):
    """A minimal case for testing the engine: a deputy's request that staff assign to a
    handling unit, which answers; the deputy evaluates."""

    author = models.ForeignKey("core.Deputy", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("core.HandlingUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
