"""Signals of the ballots, for the modules that add conditions without ballots knowing them.

`ballot_opening(sender=Ballot, ballot, by)`: sent by services.open_ballot inside its transaction,
before the ballot opens. A receiver refuses by raising ValidationError (the meetings module: no
vote on a case on a sitting's agenda while the sitting has no quorum)."""

from django.dispatch import Signal

ballot_opening = Signal()
