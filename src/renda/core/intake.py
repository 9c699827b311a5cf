"""Public intake: what anyone may send through the public site (review proposals today;
comments on bills, messages to deputies and project proposals next) goes through one
mechanism.

- `PublicSubmission`: the abstract model base: a receipt code (10 characters of an
  unambiguous 32-letter alphabet: 50 bits, unique), the submitter's contact (shown to
  staff only: ask `allowed(user, "view_contact", obj)`) and the day it was sent.
- `IntakeForm`: the form base: a hidden field people do not see and robots fill in
  (the trap), and a contact that can be answered.
- `Intake`: the view helper: trap, throttle per address, saving, the receipt kept in the
  session for the "received" page, and the status lookup by receipt code and the last
  four characters of the contact, throttled too (a lookup that says "no" is a guessing
  oracle).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.shortcuts import redirect, render

from .fields import EncryptedCharField
from .http import client_key, throttled

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or copied by hand
RECEIPT_LENGTH = 10  # 32**10 = 2**50
TRAP = "website"
WRONG_TAILS_PER_RECEIPT = 5  # wrong contact tails before a receipt is closed for an hour
ERASED = "该查询码对应的联系方式已按规定删除，无法再凭联系方式查询；如需了解办理情况，请联系人大常委会工作机构。"


def new_receipt() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def contact_tail(contact: str) -> str:
    """What the submitter proves they know: the last four digits of a telephone number,
    or the last four characters before the @ of an e-mail address."""
    contact = (contact or "").strip()
    if "@" in contact:
        return contact.split("@", 1)[0][-4:].lower()
    return "".join(ch for ch in contact if ch.isdigit())[-4:]


class PublicSubmission(models.Model):
    receipt = models.CharField("查询码", max_length=12, unique=True, editable=False)
    contact = EncryptedCharField("联系方式", max_length=80)
    submitted_on = models.DateField("提出日期", db_index=True)
    # when the contact was erased (on request, or after RENDA_CONTACT_RETENTION_DAYS: core.personal)
    erased_at = models.DateTimeField("联系方式删除时间", null=True, blank=True, editable=False)

    # personal data: the audit log keeps no values of these; `erasable_fields` are emptied
    # when the contact is erased (the case itself stays)
    personal_fields = {"contact"}
    erasable_fields = ("contact",)
    # a submission that is a workflow case closes with a terminal state's event; one that is
    # not (a message to a deputy) names the field that holds when it closed
    closed_at_field: str | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.receipt:
            self.receipt = self.unused_receipt()
        super().save(*args, **kwargs)

    @classmethod
    def unused_receipt(cls) -> str:
        # 2**50 codes: a clash is all but impossible, yet the column is unique, so check
        for _ in range(5):
            code = new_receipt()
            if not cls._default_manager.filter(receipt=code).exists():
                return code
        raise RuntimeError("无法生成查询码。")

    def contact_matches(self, tail: str) -> bool:
        given = (tail or "").strip().lower()
        return len(given) == 4 and contact_tail(self.contact) == given


class IntakeForm(forms.ModelForm):
    """Base of every public form. The model's `contact` must be one we can answer."""

    # a field people do not see (the template hides it); robots fill it in
    website = forms.CharField(
        label="网址", required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get(TRAP))

    def submitted(self) -> dict:
        """The cleaned data without the trap."""
        return {k: v for k, v in self.cleaned_data.items() if k != TRAP}

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise forms.ValidationError("请填写有效的电子邮箱，以便反馈办理结果。") from None
            if len(contact.split("@", 1)[0]) < 4:  # the status lookup asks for four of them
                raise forms.ValidationError("邮箱@前面不足四个字符，无法凭它查询办理情况，请改填电话号码。")
        elif sum(ch.isdigit() for ch in contact) < 7:
            raise forms.ValidationError("请填写有效的电话号码或电子邮箱，以便反馈办理结果。")
        return contact


class ReceiptLookupForm(forms.Form):
    receipt = forms.CharField(label="查询码", max_length=20, help_text="提交后页面上显示的10位查询码")
    contact = forms.CharField(
        label="联系方式后四位",
        min_length=4,
        max_length=4,
        help_text="电话号码的后四位数字；留的是电子邮箱的，填@前面的最后四个字符",
    )

    def __init__(self, *args, contact_optional: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if contact_optional:  # a form whose contact may be left out (messages to deputies)
            self.fields["contact"].required = False
            self.fields["contact"].help_text += "；未留联系方式的不填"


@dataclass(frozen=True)
class Intake:
    """One public form's intake: `key` names it (throttle counters, session), `per_hour`
    is how many submissions one address may make in an hour."""

    key: str
    per_hour: int
    lookups_per_hour: int = 20
    # the submitter may leave no contact: then the lookup asks for the receipt only (the
    # model's `contact_matches` decides)
    contact_optional: bool = False

    def _counter(self, request, what: str) -> str:
        return f"intake:{self.key}:{what}:{client_key(request)}"

    def submit(
        self,
        request,
        form: IntakeForm,
        save: Callable[[dict], PublicSubmission],
        *,
        template: str,
        context: dict | None = None,
        received: str,
        robot: str,
    ):
        """Handle the form's GET and POST: the response to return. `save(data)` records
        the submission (it may raise ValidationError: the form shows it); `received` and
        `robot` are where to go after saving and after catching a robot."""
        context = {**(context or {}), "form": form}
        if request.method == "POST" and form.is_valid():
            if form.is_robot:
                return redirect(robot)  # nothing kept, nothing said
            if throttled(self._counter(request, "submit"), self.per_hour):
                form.add_error(None, "提交过于频繁，请一小时后再试。您填写的内容已保留。")
                return render(request, template, context, status=429)
            try:
                saved = save(form.submitted())
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):  # a message about the whole submission
                    form.add_error(None, exc.messages)
                else:
                    for field, messages in exc.message_dict.items():
                        for message in messages:
                            form.add_error(field if field in form.fields else None, message)
            else:
                request.session[f"intake:{self.key}"] = saved.receipt
                return redirect(received)
        return render(request, template, context)

    def receipt(self, request) -> str | None:
        """The receipt of what this browser just sent (for the "received" page)."""
        return request.session.get(f"intake:{self.key}")

    def lookup(self, request, queryset) -> tuple[ReceiptLookupForm, PublicSubmission | None, int]:
        """The status lookup: (form, the submission or None, HTTP status)."""
        form = ReceiptLookupForm(request.GET or None, contact_optional=self.contact_optional)
        if not request.GET or not form.is_valid():
            return form, None, 200
        if throttled(self._counter(request, "lookup"), self.lookups_per_hour):
            form.add_error(None, "查询过于频繁，请一小时后再试。")
            return form, None, 429
        receipt = normalise_receipt(form.cleaned_data["receipt"])
        # a receipt's contact tail has only 10,000 values: a few wrong tries close it for an hour,
        # from whatever addresses they come
        wrong_tries = f"intake:{self.key}:wrong:{receipt}"
        if (cache.get(wrong_tries) or 0) >= WRONG_TAILS_PER_RECEIPT:
            form.add_error(None, "该查询码的错误尝试过多，请一小时后再试。")
            return form, None, 429
        found = queryset.filter(receipt=receipt).first()
        if found is not None and found.erased_at is not None:  # nothing left to prove knowledge of
            form.add_error(None, ERASED)
            return form, None, 200
        if found is None or not found.contact_matches(form.cleaned_data["contact"]):
            if found is not None:
                throttled(wrong_tries, WRONG_TAILS_PER_RECEIPT)
            form.add_error(None, "查询码或联系方式不符，请核对后重试。")
            return form, None, 200
        return form, found, 200
