"""Password rules of 等保 level 3 beyond Django's validators: a mix of character classes, and
the minimum length with a Chinese message (Django's translation of it is missing). Similarity
to the account and common passwords: Django's own validators, translated; see
AUTH_PASSWORD_VALIDATORS."""

from __future__ import annotations

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: c in string.punctuation or c == " "),
)


class CharacterClassValidator:
    """At least `min_classes` of the four classes: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        # only ASCII letters count as upper/lower case: a Chinese character is neither
        used = sum(1 for _, test in CLASSES if any(c.isascii() and test(c) for c in password))
        if used < self.min_classes:
            raise ValidationError(self.message(), code="password_too_simple")

    def message(self) -> str:
        names = "、".join(name for name, _ in CLASSES)
        return f"密码须至少包含{names}中的{self.min_classes}类。"

    def get_help_text(self) -> str:
        return self.message()


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"
