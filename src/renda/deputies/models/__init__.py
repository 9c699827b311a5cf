"""The deputies module's models, one file per part of the work (roster, activities …)."""

from .activities import Activity, ActivityEvidence
from .contacts import ContactRecord
from .reportback import ReportBack, ReportBackEvaluation
from .roster import DeputyEvent
from .stations import LiaisonStation, MeetCode, MeetMessage, Reception, StationDuty

__all__ = [
    "Activity",
    "ActivityEvidence",
    "ContactRecord",
    "DeputyEvent",
    "LiaisonStation",
    "MeetCode",
    "MeetMessage",
    "Reception",
    "ReportBack",
    "ReportBackEvaluation",
    "StationDuty",
]
