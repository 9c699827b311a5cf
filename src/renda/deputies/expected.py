"""Expected outcomes of the deputies module's routes (see core/access.py)."""

from renda.core.access import Expect, declare  # noqa: F401
