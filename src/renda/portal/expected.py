"""Expected outcomes of the public site (see core/access.py): everyone, signed in or not."""

from renda.core.access import EVERYONE, Expect, declare

declare(
    Expect(route="portal:home", ok=EVERYONE, anonymous=200),
    Expect(route="portal:deputies", ok=EVERYONE, anonymous=200),
    Expect(route="portal:suggestions", ok=EVERYONE, anonymous=200),
    Expect(route="portal:suggestion", ok=EVERYONE, anonymous=200, args=("suggestion",)),
    Expect(route="portal:open_api", ok=EVERYONE, anonymous=200),
)
