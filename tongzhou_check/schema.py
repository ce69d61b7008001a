"""The JSON Schemas shipped in the package, and one cached validator per schema."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

_VALIDATORS: dict[str, jsonschema.protocols.Validator] = {}


@cache
def load_schema(name: str) -> dict:
    """A schema of tongzhou_check/schemas/ by file name."""
    return json.loads((resources.files("tongzhou_check") / "schemas" / name).read_text("utf-8"))


def schema_error(doc: Any, schema: dict) -> jsonschema.ValidationError | None:
    """The most relevant error of a document against a schema, or None. One validator per schema, its own schema
    checked once (jsonschema.validate checks it on every call: that was most of a pack's loading time).
    jsonschema is imported on first use: a run whose pack comes from the cache validates nothing."""
    import jsonschema

    key = json.dumps(schema, sort_keys=True)
    if key not in _VALIDATORS:
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
        cls.check_schema(schema)
        _VALIDATORS[key] = cls(schema)
    return jsonschema.exceptions.best_match(_VALIDATORS[key].iter_errors(doc))
