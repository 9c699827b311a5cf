"""JSON Schema of a Django form's fields: the case API documents a transition's inputs
(and a case type's creation) from the same declaration the engine validates with."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from renda.core.scoping import rule_for, visible

SQL_INT_MAX = 2**63 - 1
MAX_LISTED_CHOICES = 200  # a longer list of records is not enumerated: the client looks them up


def _is_file(field) -> bool:
    return isinstance(field, forms.FileField)


def _choices(field):
    return [(k, str(v)) for k, v in field.choices if k != ""]


def field_schema(field: forms.Field, *, user=None, records: bool = False) -> dict:
    """One field. With `records` (a case's detail), a model choice lists the records
    the user may see among its (possibly narrowed) queryset, when they are few."""
    schema: dict = {"title": str(field.label or "")}
    if field.help_text:
        schema["description"] = str(field.help_text)
    if isinstance(field, forms.ModelChoiceField):
        item = {"type": "integer", "minimum": 1, "maximum": SQL_INT_MAX}
        if records:
            options = _records(field, user)
            if options is not None:
                item["enum"] = [pk for pk, _ in options]
                item["x-enum-labels"] = [label for _, label in options]
        if isinstance(field, forms.ModelMultipleChoiceField):
            schema.update(type="array", items=item, uniqueItems=True)
        else:
            schema.update(item)
    elif isinstance(field, forms.BooleanField):
        schema["type"] = "boolean"
    elif isinstance(field, forms.ChoiceField):
        options = _choices(field)
        schema.update(type="string", enum=[str(k) for k, _ in options])
        schema["x-enum-labels"] = [label for _, label in options]
    elif isinstance(field, forms.DateField):
        schema.update(type="string", format="date")
    elif isinstance(field, forms.IntegerField):
        schema["type"] = "integer"
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
    elif isinstance(field, forms.CharField):
        schema["type"] = "string"
        if field.min_length:
            schema["minLength"] = field.min_length
        if field.max_length:
            schema["maxLength"] = field.max_length
        schema["pattern"] = r"^[^\x00]*$"  # Django refuses NUL characters in text
    else:
        schema["type"] = "string"
    initial = field.initial
    if initial is not None and not callable(initial) and not isinstance(field, forms.ModelChoiceField):
        schema["default"] = initial
    return schema


def _records(field, user) -> list[tuple[int, str]] | None:
    qs = field.queryset
    try:
        rule_for(qs.model)
    except LookupError:
        return None
    rows = list(visible(user, qs.model, qs)[: MAX_LISTED_CHOICES + 1])
    if len(rows) > MAX_LISTED_CHOICES:
        return None
    return [(r.pk, field.label_from_instance(r)) for r in rows]


def form_schema(fields: dict[str, forms.Field], *, user=None, records: bool = False) -> dict:
    """The object schema of a form's fields (file fields left out: they go as multipart)."""
    properties, required = {}, []
    for name, field in fields.items():
        if _is_file(field):
            continue
        properties[name] = field_schema(field, user=user, records=records)
        if field.required:
            required.append(name)
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def multipart_schema(fields: dict[str, forms.Field]) -> dict:
    schema = form_schema(fields)
    for name, field in fields.items():
        if _is_file(field):
            schema["properties"][name] = {
                "title": str(field.label or ""),
                "type": "array",
                "items": {"type": "string", "format": "binary"},
            }
    return schema


TRUE_WORDS, FALSE_WORDS = {"true", "on", "1", "yes"}, {"false", "off", "0", "no", ""}
BOOLEAN_ERROR = "应为布尔值（true 或 false）。"


def _boolean(value):
    """A yes/no as the API accepts it: a JSON boolean, or an unambiguous word. Django's
    checkbox would read any other text (even "0" or "no") as yes."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(BOOLEAN_ERROR)


def _multiple(field) -> bool:
    return isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)


def form_data(fields: dict[str, forms.Field], data) -> dict:
    """A JSON object (or a multipart form) as a Django form reads its data, with the values
    no field could read refused in Chinese (ValidationError) instead of being read wrongly
    by a field (a list printed into a text, "0" taken for yes) or failing in the database."""
    errors = {}
    if hasattr(data, "getlist"):  # multipart: text already; only yes/no needs reading
        out = data.copy()
        for name, field in fields.items():
            if isinstance(field, forms.BooleanField) and name in out:
                try:
                    out[name] = "true" if _boolean(out.get(name)) else "false"
                except ValueError as exc:
                    errors[name] = [str(exc)]
    else:
        out = {}
        for name, value in data.items():
            field = fields.get(name)
            if field is None or value is None:
                continue
            if isinstance(field, forms.BooleanField):
                try:
                    out[name] = _boolean(value)
                except ValueError as exc:
                    errors[name] = [str(exc)]
            elif isinstance(value, (str, int, float)):  # bool is an int: "true"/"false"
                out[name] = _text(value)
            elif isinstance(value, list) and _multiple(field) and all(isinstance(v, (str, int, float)) for v in value):
                out[name] = [_text(v) for v in value]
            elif isinstance(value, list):
                errors[name] = ["取值类型不正确：只有多选字段可以是列表。"]
            else:
                errors[name] = ["取值类型不正确：应为字符串、数字或布尔值（多选为列表）。"]
    if errors:
        raise ValidationError(errors)
    errors = _bad_ids(fields, out)
    if errors:
        raise ValidationError(errors)
    return out


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _bad_ids(fields: dict[str, forms.Field], data) -> dict[str, list[str]]:
    """Record ids the database could not even compare (not integers, or beyond its
    64-bit columns)."""
    errors = {}
    for name, field in fields.items():
        if not isinstance(field, forms.ModelChoiceField) or name not in data:
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            values = values if isinstance(values, (list, tuple)) else [values]
        else:
            values = [data.get(name)]
        for value in values:
            if value in (None, ""):
                continue
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number is None or not 1 <= number <= SQL_INT_MAX:
                errors[name] = ["请选择有效的选项（记录编号应为正整数）。"]
                break
    return errors
