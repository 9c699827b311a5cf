from django.db import models


class Row(models.Model):
    """One row per request of the baseline view."""

    payload = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
