"""Expected outcomes of the statistics (see core/access.py): `report` on Congress: the
oversight roles of a congress (a county's staff: their county's figures)."""

from renda.core.access import OVERSEERS as READERS
from renda.core.access import Expect, declare

declare(
    Expect(route="reports:summary", ok=READERS),
    Expect(route="reports:dashboard", ok=READERS),
    Expect(route="reports:dashboard_data", ok=READERS, anonymous=401),
    Expect(route="reports:metric_list", ok=READERS),
    Expect(route="reports:metric_detail", ok=READERS, args=("=party.study_sessions",)),
    Expect(api="GET /api/metrics", ok=READERS, anonymous=401),
    Expect(api="GET /api/metrics/{metric_id}", ok=READERS, anonymous=401, args=("=party.study_sessions",)),
    Expect(api="GET /api/metrics/{metric_id}/records", ok=READERS, anonymous=401, args=("=party.study_sessions",)),
)
