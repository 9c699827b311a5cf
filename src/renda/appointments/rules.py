"""Who sees appointments (rules.md §5):
- a batch (任免案), its nominations, votes' subjects, oaths: the oversight roles of its congress
  (and above) and the nominating unit; staff and administrators add and change; the nominating
  unit may prepare the batch while drafting (add nominations) and submit it;
- a nomination of a batch whose 任免名单 is published (notified, sworn) and which passed: everyone
  (the public list);
- an exam: the nominee (the account whose person is the nomination's) and the oversight roles of
  the congress (the results page); nobody else — another nominee gets 404;
- the question bank: the staff and administrators only (the answers are in it);
- a person's posts over time (任职经历): the oversight roles of the congress (staff, members).
"""

from django.db.models import Q

from renda.core.scoping import MANAGE_ROLES, OVERSIGHT_ROLES, Rule, rule
from renda.workflow.documents import document_kind

from .models import AppointmentBatch, Exam, Nomination, OathTaking, Question, Tenure


def batch_q(actor, prefix="") -> Q:
    q = Q(pk__in=[])
    if actor.has(*OVERSIGHT_ROLES):
        q |= Q(**{f"{prefix}congress__in": actor.congresses(*OVERSIGHT_ROLES)})
    if actor.unit_ids:
        q |= Q(**{f"{prefix}unit__in": actor.unit_ids})
    return q


@rule(AppointmentBatch)
class BatchRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(batch_q(actor))

    def can(self, actor, action, obj):
        if obj is None:
            if action == "add":
                return actor.has(*MANAGE_ROLES) or bool(actor.unit_ids)
            return action == "view"
        if action in ("view", "view_process"):
            return actor.oversees(obj.congress_id) or obj.unit_id in actor.unit_ids
        if action == "change":  # the particulars and the nominations while drafting; oaths once notified
            return actor.manages(obj.congress_id) or (obj.state == "drafting" and obj.unit_id in actor.unit_ids)
        if action == "results":
            return actor.oversees(obj.congress_id)
        return False


document_kind(AppointmentBatch, "materials", "任免呈报表和考察材料")


@rule(Nomination)
class NominationRule(Rule):
    def visible(self, actor, qs):
        from .services import notified_q

        q = batch_q(actor, "batch__") | notified_q()
        if actor.is_authenticated and actor.user.person_id:
            q |= Q(person=actor.user.person_id)
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view"
        if action == "view":
            return self.visible(actor, Nomination.objects.filter(pk=obj.pk)).exists()
        if action == "change":
            return BatchRule().can(actor, "change", obj.batch)
        if action == "sit_exam":
            return actor.is_authenticated and actor.user.person_id == obj.person_id
        return False


@rule(Exam)
class ExamRule(Rule):
    def visible(self, actor, qs):
        q = Q(pk__in=[])
        if actor.has(*OVERSIGHT_ROLES):
            q |= Q(nomination__batch__congress__in=actor.congresses(*OVERSIGHT_ROLES))
        if actor.is_authenticated and actor.user.person_id:
            q |= Q(nomination__person=actor.user.person_id)
        return qs.filter(q)

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view"
        if action == "view":
            return self.visible(actor, Exam.objects.filter(pk=obj.pk)).exists()
        if action == "sit":  # answering: the nominee only
            return actor.is_authenticated and actor.user.person_id == obj.nomination.person_id
        return False


@rule(Question)
class QuestionRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(congress__in=actor.congresses(*MANAGE_ROLES)) if actor.has(*MANAGE_ROLES) else qs.none()

    def can(self, actor, action, obj):
        if obj is None:
            return action in ("add", "view") and actor.has(*MANAGE_ROLES)
        return action in ("view", "change") and actor.manages(obj.congress_id)


@rule(OathTaking)
class OathRule(Rule):
    def visible(self, actor, qs):
        return qs.filter(batch_q(actor, "batch__"))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view"
        if action == "view":
            return BatchRule().can(actor, "view", obj.batch)
        return action == "change" and actor.manages(obj.batch.congress_id)


@rule(Tenure)
class TenureRule(Rule):
    def visible(self, actor, qs):
        if not actor.has(*OVERSIGHT_ROLES):
            return qs.none()
        return qs.filter(congress__in=actor.congresses(*OVERSIGHT_ROLES))

    def can(self, actor, action, obj):
        if obj is None:
            return action == "view" and actor.has(*OVERSIGHT_ROLES)
        return action == "view" and actor.oversees(obj.congress_id)
