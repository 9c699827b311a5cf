"""The deputies module's models, one file per part of the work (roster, activities …)."""

from .roster import DeputyEvent

__all__ = ["DeputyEvent"]
