"""Expected outcomes of the supervision routes (see core/access.py), one file per group of pages."""

from renda.core.access import declare

from .expected_plan import EXPECTED as PLAN_PAGES

declare(*PLAN_PAGES)
