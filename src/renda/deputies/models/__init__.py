"""The deputies module's models, one file per part of the work (roster, activities …)."""

from .activities import Activity, ActivityEvidence
from .contacts import ContactRecord
from .roster import DeputyEvent

__all__ = ["Activity", "ActivityEvidence", "ContactRecord", "DeputyEvent"]
