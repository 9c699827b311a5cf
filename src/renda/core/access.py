"""Who gets what from every route and API operation: the expected outcomes, declared beside
the rules that produce them, and checked by the generated authorization matrix
(tests/test_authorization.py), which requests every named route and every operation of
/api/openapi.json as every role of the test world.

Each module declares its expectations in `<module>/expected.py`:

    declare(
        Expect(route="suggestions:detail", ok=OVERSIGHT + ("deputy", "unit"), refused=404, args=("suggestion",)),
        Expect(api="POST /api/units", ok=KEEPERS, status=201, anonymous=403, body=lambda w, role: {...}),
    )

- `ok` roles get `status`; every other signed-in role gets `refused`; the anonymous visitor
  gets `anonymous` (work pages send them to the login page: 302). `overrides` names the
  exceptions, role by role.
- `args` build the URL: each name is an object of the test world (`world.<name>` or
  `world.samples[name]`), which gives its pk; a name starting with "=" is taken literally
  ("=reply", "=party.study_sessions"). `query` is the query string; `{name}` in it is the pk
  of that world object. `variant` declares a further case of the same route.
- Writes. A page that accepts POST declares `post`: either a body builder
  `(world, role) -> dict` (then the `post_ok` roles, by default `ok`, get `post_status`), or a
  reason why only the refusals are checked. Either way every other role and the anonymous
  visitor POST too and must be refused (`post_refused`, by default `refused`; `anonymous`).
  An API write operation declares `body`, the same builder, and is sent as each role:
  `ok` roles get `status` (201), the others their refusal.
- The case API (/api/cases/<case type>, workflow/caseapi.py): `CaseAccess(case_type, sample,
  sees, follows)` states who finds a sample case and who follows its process, and builds the
  Expects of the reads (`reads()`), of creating (`create(...)`) and of each transition
  (`transition(key, by=<who passes the guard>, body=...)`), in the order caseapi and `perform`
  check: 404, 403 (process), 409 (state), 403 (guard), 200 — the first performer moves the case
  for the roles after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# The roles of the test world (tests/factories.py), named once.
ROLES = (
    "admin",
    "staff",
    "county_staff",
    "director",
    "member",
    "deputy",
    "other_deputy",
    "unit",
    "other_unit",
    "noroles",
    "security",
    "auditor",
    "public",
)
# The security and audit administrators hold no role in the business of a congress: unless a
# declaration names them they are refused like any other unnamed role (they do not even see
# what an account without roles is shown as the public is: they hold an assignment).

# who reads the audit log, and who exports and verifies it (三员分立)
AUDIT_READERS = ("security", "auditor")
SIGNED_IN = tuple(r for r in ROLES if r != "public")
EVERYONE = ROLES
# keep reference data: the city's administrators and staff, and a county's staff (their subtree)
KEEPERS = ("admin", "staff", "county_staff")
CITY_KEEPERS = ("admin", "staff")
# the oversight roles of the city congress
OVERSIGHT = ("admin", "staff", "director", "member")
# an oversight role somewhere: the city's, and a county's staff (for their county)
OVERSEERS = OVERSIGHT + ("county_staff",)
# administrators, staff (of the city or a county) and directors (督办, the workflow definitions)
SUPERVISORS = ("admin", "staff", "county_staff", "director")
DEPUTIES = ("deputy", "other_deputy")
UNITS = ("unit", "other_unit")


@dataclass(frozen=True)
class Expect:
    route: str = ""  # a URL name, "namespace:name"
    api: str = ""  # an API operation, "METHOD /api/path/{param}"
    variant: str = ""  # a further case of the same route ("ended mandate"): its own key
    ok: tuple[str, ...] = ()
    status: int = 200
    refused: int = 403
    anonymous: int = 302
    overrides: dict = field(default_factory=dict)
    args: tuple = ()
    query: str = ""
    post: Callable | str | None = None
    post_ok: tuple[str, ...] | None = None  # who may write (default: ok)
    post_status: int = 302
    post_refused: int | None = None  # default: refused
    body: Callable | None = None
    headers: Callable | None = None  # (world, role) -> request headers of a write (Idempotency-Key)

    @property
    def key(self) -> str:
        return (self.route or self.api) + (f" [{self.variant}]" if self.variant else "")

    def writes(self) -> dict[str, int | None]:
        """role -> the status a write must get (None: not checked, a reason was given)."""
        may = self.ok if self.post_ok is None else self.post_ok
        table = {}
        for role in ROLES:
            if role in self.overrides and role not in may:
                table[role] = self.overrides[role]
            elif role in may:
                table[role] = self.post_status if callable(self.post) else None
            elif role == "public":
                table[role] = self.anonymous
            else:
                table[role] = self.refused if self.post_refused is None else self.post_refused
        return table

    def expected(self, status: int | None = None) -> dict[str, int]:
        """role -> the status this declaration promises (`status` for the ok roles)."""
        table = {}
        for role in ROLES:
            if role in self.overrides:
                table[role] = self.overrides[role]
            elif role in self.ok:
                table[role] = self.status if status is None else status
            elif role == "public":
                table[role] = self.anonymous
            else:
                table[role] = self.refused
        return table


_declared: dict[str, Expect] = {}


def declare(*expects: Expect) -> None:
    for e in expects:
        if bool(e.route) == bool(e.api):
            raise ValueError(f"{e}: declare exactly one of route= or api=")
        if e.key in _declared:
            raise ValueError(f"{e.key} is declared twice")
        unknown = (set(e.ok) | set(e.overrides)) - set(ROLES)
        if unknown:
            raise ValueError(f"{e.key}: unknown roles {sorted(unknown)}")
        _declared[e.key] = e


def declared() -> dict[str, Expect]:
    """Every declaration, after importing each app's `expected` module."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("expected")
    return dict(_declared)


def idempotency_key(world, role) -> dict:
    """Headers of a write sent once per role with its own key (keys are scoped to their account)."""
    return {"Idempotency-Key": f"matrix-{role}"}


@dataclass(frozen=True)
class CaseAccess:
    """Who reaches one sample case through the case API (/api/cases/<case_type>/{id}, see
    workflow/caseapi.py): `sees` find it (the others get 404), `follows` see its process
    (view_process: its timeline and transitions; the others who see it get 403). Roles as in
    ROLES, "public" included. Declares the reads of the case type and its transitions."""

    case_type: str
    sample: str  # a world.samples name
    sees: tuple[str, ...]
    follows: tuple[str, ...]

    def reads(self) -> tuple[Expect, ...]:
        """The list (scoped: everyone gets 200), one case, and its timeline."""
        base = f"GET /api/cases/{self.case_type}"
        return (
            Expect(api=base, ok=EVERYONE, anonymous=200),
            self._expect(base + "/{id}", {r: 200 if r in self.sees else 404 for r in ROLES}),
            self._expect(base + "/{id}/events", {r: self._reach(r) or 200 for r in ROLES}),
        )

    def create(self, ok: tuple[str, ...], body: Callable, overrides: dict | None = None) -> Expect:
        """POST /api/cases/<case_type>: the `ok` roles create a draft (201), the others are refused."""
        return Expect(
            api=f"POST /api/cases/{self.case_type}",
            ok=ok,
            status=201,
            anonymous=403,
            overrides=overrides or {},
            body=body,
            headers=idempotency_key,
        )

    def transition(
        self,
        key: str,
        *,
        by: tuple[str, ...] = (),
        body: Callable | dict | None = None,
        stay: bool = False,
        state_allows: bool = True,
        then: dict | None = None,
    ) -> Expect:
        """POST …/transitions/<key> on the sample, as each role in the order of ROLES. caseapi
        answers 404 to whom does not see the case and 403 to whom does not follow its process;
        then `perform` checks the state (409) before the guard (403). `by` pass the guard: the
        first of them performs it (200) and, unless the transition `stay`s, moves the case, so
        that every later follower gets 409. `state_allows`: the sample's state is a source.
        `then`: role -> status of a later role whose view of the case the move changed. `body`: a
        builder (world, role) -> dict, or the dict itself."""
        then = then or {}
        fields = body or {}
        table, moved = {}, not state_allows
        for role in ROLES:
            reach = then.get(role) or self._reach(role)
            if reach:
                table[role] = reach
            elif moved:
                table[role] = 409
            elif role in by:
                table[role], moved = 200, not stay
            else:
                table[role] = 403
        return self._expect(
            f"POST /api/cases/{self.case_type}/{{id}}/transitions/{key}",
            table,
            body=body if callable(body) else lambda w, role: fields,
            headers=idempotency_key,
        )

    def _reach(self, role) -> int | None:
        """404 or 403 when the role cannot reach the case's process; None when it can."""
        if role not in self.sees:
            return 404
        return None if role in self.follows else 403

    def _expect(self, api: str, table: dict[str, int], **extra) -> Expect:
        signed_in = {r: s for r, s in table.items() if r != "public"}
        return Expect(
            api=api,
            ok=tuple(r for r, s in signed_in.items() if s == 200),
            refused=404,
            anonymous=table["public"],
            overrides={r: s for r, s in signed_in.items() if s not in (200, 404)},
            args=(self.sample,),
            **extra,
        )
