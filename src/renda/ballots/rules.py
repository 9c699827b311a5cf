"""Who sees and does what with ballots.

- The staff and admins of the congress (and above) manage its ballots: create, open,
  close, keep the roll; they see who has voted, never how in a secret ballot.
- An eligible voter sees the ballot they may vote in, once it is open.
- The result: the oversight roles of the congress once closed; everyone when the
  ballot is closed and marked published.
- Who voted how: for a named ballot the oversight roles once closed (and each voter
  their own choice); for a secret ballot nobody, ever.
"""

from django.db.models import Q

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule

from .models import Ballot, BallotOption, Cast, NamedChoice, SealedPaper, SecretChoice, Voter


def ballot_q(actor) -> Q:
    q = Q(state=Ballot.State.CLOSED, published=True)
    if actor.is_authenticated:
        q |= Q(pk__in=Voter.objects.filter(user=actor.user).values("ballot")) & ~Q(state=Ballot.State.DRAFT)
    if actor.has(*MANAGE_ROLES):
        q |= Q(congress__in=actor.congresses(*MANAGE_ROLES))
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(congress__in=actor.congresses(*OVERSIGHT_ROLES), state=Ballot.State.CLOSED)
    return q


def is_voter(actor, ballot) -> bool:
    return actor.is_authenticated and Voter.objects.filter(ballot=ballot, user=actor.user).exists()


@rule(Ballot)
class BallotRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(ballot_q(actor))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "add" and actor.has(*MANAGE_ROLES)
        closed = obj.state == Ballot.State.CLOSED
        if action == "view":
            return Ballot.objects.filter(pk=obj.pk).filter(ballot_q(actor)).exists()
        if action in ("add", "change", "open", "close"):
            return actor.manages(obj.congress_id)
        if action == "vote":
            return obj.state == Ballot.State.OPEN and is_voter(actor, obj)
        if action == "view_result":
            return closed and (obj.published or actor.oversees(obj.congress_id) or actor.manages(obj.congress_id))
        if action == "view_votes":  # who voted how
            return closed and not obj.is_secret and actor.oversees(obj.congress_id)
        return False


@rule(BallotOption)
class BallotOptionRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(ballot__in=Ballot.objects.filter(ballot_q(actor)))

    def can(self, actor, action, obj):
        return action == "view" and obj is not None and BallotRule().can(actor, "view", obj.ballot)


@rule(Voter)
class VoterRule(Rule):
    """The roll: its keepers, and each voter their own line."""

    def visible(self, actor, qs):
        q = Q(user=actor.user) if actor.is_authenticated else Q(pk__in=[])
        if actor.has(*MANAGE_ROLES):
            q |= Q(ballot__congress__in=actor.congresses(*MANAGE_ROLES))
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None:
            return False
        if action == "view":
            return obj.user_id == actor.user.pk or actor.manages(obj.ballot.congress_id)
        return action == "change" and actor.manages(obj.ballot.congress_id)  # the presence flag


@rule(Cast)
class CastRule(Rule):
    """That someone has voted (not how): the keepers of the roll, and the voter."""

    def visible(self, actor, qs):
        q = Q(voter__user=actor.user) if actor.is_authenticated else Q(pk__in=[])
        if actor.has(*MANAGE_ROLES):
            q |= Q(voter__ballot__congress__in=actor.congresses(*MANAGE_ROLES))
        return qs.filter(q)

    def can(self, actor, action, obj):
        return (
            action == "view"
            and obj is not None
            and (obj.voter.user_id == actor.user.pk or actor.manages(obj.voter.ballot.congress_id))
        )


@rule(SecretChoice)
class SecretChoiceRule(Rule):
    """Nobody sees a secret ballot's papers; only their count (services.tally)."""


@rule(SealedPaper)
class SealedPaperRule(Rule):
    """Nobody sees the ballot box: only close_ballot opens it."""


@rule(NamedChoice)
class NamedChoiceRule(Rule):
    def visible(self, actor, qs):
        q = Q(cast__voter__user=actor.user) if actor.is_authenticated else Q(pk__in=[])
        if actor.has(*OVERSIGHT_ROLES):
            q |= Q(ballot__congress__in=actor.congresses(*OVERSIGHT_ROLES), ballot__state=Ballot.State.CLOSED)
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None or action != "view":
            return False
        return obj.cast.voter.user_id == actor.user.pk or BallotRule().can(actor, "view_votes", obj.ballot)
