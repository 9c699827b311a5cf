"""Expected outcomes of the federation endpoint (see core/access.py): a message is
authenticated by its sender's signature, not by an account: an unsigned one is refused for
everyone, whoever is signed in."""

from renda.core.access import Expect, declare

declare(
    Expect(
        api="POST /api/federation/messages",
        ok=(),
        refused=400,
        anonymous=400,
        body=lambda w, role: {"version": 1, "sender": "x", "signature": "none"},
    ),
)
