"""The ballot page: the one ballot mechanism's screen, for every module that votes
(satisfaction votes, meetings' votes). GET shows the ballot, the caller's status and, once
closed, the result to whom may see it; POST casts through services.cast (an idempotency key
generated when the page was drawn: a double click casts once), or opens / closes a ballot
that is not run by a case's workflow. Scoped by ballots.rules."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from renda.core.scoping import allowed, get_visible_or_404
from renda.workflow.models import Case

from . import services
from .models import Ballot, Cast, Voter
from .rules_of_vote import MOTION


def _subject(user, ballot):
    """What the ballot is about: (the record if the user may see it, its URL, whether a case's
    workflow runs the ballot)."""
    if not ballot.content_type_id:
        return None, "", False
    model = ballot.content_type.model_class()
    record = model.objects.filter(pk=ballot.object_id).first() if model else None
    by_workflow = isinstance(record, Case)
    if record is None or not allowed(user, "view", record):
        return None, "", by_workflow
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return record, url, by_workflow


def _status(user, ballot) -> dict:
    voter = Voter.objects.filter(ballot=ballot, user=user).first()
    voted = voter is not None and Cast.objects.filter(voter=voter).exists()
    return {
        "eligible": voter is not None,
        "voted": voted,
        "may_vote": voter is not None and not voted and ballot.state == "open",
    }


def _choices(request) -> list[int]:
    """The option ids sent; one that is no number ("²", "abc") stays in the list as 0, so that
    the service refuses it (所选选项不属于本次表决) rather than the vote counting without it."""
    found = []
    for value in request.POST.getlist("choice"):
        try:
            found.append(int(value))
        except ValueError:
            found.append(0)
    return found


@login_required
def ballot(request, pk):
    item = get_visible_or_404(request.user, Ballot, pk=pk)
    user = request.user
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "vote")
        try:
            if action == "vote":
                receipt = services.cast(item, user, _choices(request), idempotency_key=request.POST.get("key", ""))
                messages.success(request, "重复提交，已按第一次投票处理。" if receipt.replayed else "投票成功。")
                return redirect("ballots:ballot", pk=item.pk)
            if action in ("open", "close"):
                _, _, by_workflow = _subject(user, item)
                if by_workflow:  # its case opens and closes it (the case's state follows the ballot)
                    raise PermissionDenied("本次表决由所属事项的办理流程开始和结束。")
                move = services.open_ballot if action == "open" else services.close_ballot
                move(user, item)
                messages.success(request, "表决已开始。" if action == "open" else "表决已结束。")
                return redirect("ballots:ballot", pk=item.pk)
            raise PermissionDenied("没有这项操作。")
        except services.AlreadyVoted as exc:
            error = exc.messages[0]
        except ValidationError as exc:
            error = "；".join(exc.messages)
        item.refresh_from_db()
    subject, subject_url, by_workflow = _subject(user, item)
    rule = item.pass_rule
    manages = allowed(user, "change", item)
    status = _status(user, item)
    result = votes = None
    if item.state == Ballot.State.CLOSED and allowed(user, "view_result", item):
        result = services.tally(item)
        if allowed(user, "view_votes", item):
            votes = services.named_votes(item)
    turnout = None
    if manages and item.state != Ballot.State.DRAFT:  # who has voted is the keepers' (never how)
        turnout = {"cast": Cast.objects.filter(voter__ballot=item).count(), "eligible": item.voters.count()}
    return render(
        request,
        "ballots/ballot.html",
        {
            "page_title": item.title,
            "ballot": item,
            # a PassRule is callable: a template would call it, so its words are passed as such
            "rule": {"label": rule.label, "citation": rule.citation},
            "motion": rule.mode == MOTION,
            "options": list(item.options.order_by("order")),
            "status": status,
            "key": secrets.token_urlsafe(24),  # one key per drawn page: a double click casts once
            "error": error,
            "selected": _choices(request) if error else [],
            "result": result,
            "votes": votes,
            "manages": manages,
            "by_workflow": by_workflow,
            "turnout": turnout,
            "subject": subject,
            "subject_url": subject_url,
            "breadcrumbs": ([(str(subject)[:30], subject_url)] if subject_url else []) + [(item.title[:30], "")],
        },
        status=400 if error else 200,
    )


def ballot_url(ballot) -> str:
    return reverse("ballots:ballot", args=[ballot.pk])
