"""Model fields of core: `EncryptedCharField`, personal data encrypted at rest (core.crypto).

The ORM gives code the clear text; the database holds ciphertext. `max_length` bounds the
clear text (forms, full_clean); the column is a text column, as the ciphertext is longer.
Encryption is randomised, so a column cannot be searched: only `=""` / `isnull` lookups are
allowed (an empty value is stored empty, so "has no mobile" stays a query); any other lookup
raises rather than silently finding nothing.
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


class EncryptedCharField(models.CharField):
    description = "Text encrypted at rest (AES-GCM)"

    def __init__(self, *args, mask: str = "contact", **kwargs):
        # mask: how core.personal.mask writes the value in lists ("mobile", "contact", "address" …)
        self.mask = mask
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.mask != "contact":
            kwargs["mask"] = self.mask
        return name, path, args, kwargs

    def get_internal_type(self):
        return "TextField"

    @property
    def column_label(self) -> str:
        """The associated data of its ciphertexts: "app.Model.field" (of the concrete model)."""
        return f"{self.model._meta.label}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value, self.column_label)

    def get_db_prep_value(self, value, connection, prepared=False):
        if prepared:  # a lookup's operand: only "" reaches here (see the lookups below)
            return value
        value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, self.column_label)

    def get_lookup(self, lookup_name):
        return {"exact": EncryptedExact, "isnull": IsNull}.get(lookup_name)

    def get_transform(self, lookup_name):
        return None


class EncryptedExact(Exact):
    """`field=""` only: any other value would be compared with ciphertext."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(f"{self.lhs.target.name} 是加密字段，不能按内容查询。")
        return super().get_prep_lookup()


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def reencrypt(model, using: str = "default") -> int:
    """Write every encrypted value of `model` not yet under the current key (clear text of
    before the migration, or an older key) again under the current key: the number of rows
    rewritten. Used by the migrations that encrypt a column and by `renda data rekey`;
    running it twice rewrites nothing the second time."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    fields = encrypted_fields(model)
    if not fields:
        return 0
    current = crypto.current_key_id()
    manager = model._base_manager.using(using)
    raw = {f"_raw_{f.attname}": Cast(f.attname, TextField()) for f in fields}  # Cast: no decryption
    stale = [
        row[0]
        for row in manager.annotate(**raw).values_list("pk", *raw).iterator(chunk_size=500)
        if any(value and crypto.stored_key_id(value) != current for value in row[1:])
    ]
    for pk in stale:
        values = manager.filter(pk=pk).values(*(f.attname for f in fields)).get()  # decrypted
        manager.filter(pk=pk).update(**values)  # encrypted under the current key
    return len(stale)


def store_clear(model, using: str = "default") -> int:
    """The reverse of encrypting a column (migrating back): every value written in clear."""
    from django.db.models import TextField, Value

    fields = encrypted_fields(model)
    manager = model._base_manager.using(using)
    rows = list(manager.values("pk", *(f.attname for f in fields)))  # decrypted
    for row in rows:
        pk = row.pop("pk")
        manager.filter(pk=pk).update(**{k: Value(v, output_field=TextField()) for k, v in row.items()})
    return len(rows)
