"""The registry of case types, filled from the module manifests at start-up."""

from __future__ import annotations

from renda.manifest import load, manifests

_types: dict[str, CaseType] = {}  # noqa: F821


def register(case_type):
    if case_type.key in _types and _types[case_type.key] is not case_type:
        raise ValueError(f"case type {case_type.key!r} registered twice")
    _types[case_type.key] = case_type
    case_type.model.case_type_key = case_type.key
    return case_type


def load_case_types() -> None:
    for _, manifest in manifests():
        for path in manifest.case_types:
            register(load(path))


def case_types() -> list:
    return list(_types.values())


def get(key: str):
    return _types[key]


def case_type_of(obj_or_model):
    key = obj_or_model.case_type_key
    try:
        return _types[key]
    except KeyError:
        raise LookupError(f"{type(obj_or_model).__name__} has no registered case type") from None
