"""The official Bot API schema (``api.json``) and request validation against it.

Telegram itself is lenient in places (it ignores unknown parameters) but strict in others
(JSON field types inside objects). The emulator validates every request against the
machine-readable spec so that a typo in a parameter name, a missing required field or a
wrongly typed value fails in tests instead of silently doing nothing in production.

Values arrive the way python-telegram-bot sends them: every top-level parameter is a string
(form field, multipart text part, query string, or a JSON body value re-encoded as text), and
non-string values are JSON-encoded inside that string. Decoding follows Telegram's rules: an
Integer accepts ``"123"``, a Boolean accepts ``true``/``false``, a String inside a JSON object
also accepts a number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from bot.emulator.errors import bad_request

PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "True", "InputFile"})
_INT_RE = re.compile(r"^[+-]?\d+$")
_DISCRIMINATOR_RE = re.compile(r'(?:must be|always) "?([a-z_]+)"?')
_ATTACH_RE = re.compile(r"attach://([\w\-.]+)")
# python-telegram-bot sends many methods through one helper that adds the ``Defaults``'
# parse_mode and link_preview_options even to methods without such a parameter (for example
# editMessageReplyMarkup). Telegram ignores them; so do we — these two names only, and only
# where the method lacks them. Any other unknown parameter is still refused.
PTB_DEFAULT_PARAMETERS = frozenset({"parse_mode", "link_preview_options"})

# How Telegram names the object being parsed in "can't parse X: ..." messages.
_CONTEXT = {
    "InlineKeyboardButton": "inline keyboard button",
    "KeyboardButton": "keyboard button",
    "InlineKeyboardMarkup": "reply keyboard markup",
    "ReplyKeyboardMarkup": "reply keyboard markup",
    "ReplyKeyboardRemove": "reply keyboard markup",
    "ForceReply": "reply keyboard markup",
    "MessageEntity": "MessageEntity",
    "ReplyParameters": "reply parameters",
    "LinkPreviewOptions": "link preview options",
    "BotCommand": "BotCommand",
}

# Telegram's own wording when a top-level parameter is missing (see telegram-bot-api's
# Client.cpp); everything else gets a generic 'parameter "x" is required'.
_MISSING = {
    "chat_id": "chat_id is empty",
    "text": "message text is empty",
    "photo": "there is no photo in the request",
    "document": "there is no document in the request",
    "audio": "there is no audio in the request",
    "video": "there is no video in the request",
    "animation": "there is no animation in the request",
    "voice": "there is no voice in the request",
    "video_note": "there is no video note in the request",
    "sticker": "there is no sticker in the request",
    "latitude": "latitude is empty",
    "longitude": "longitude is empty",
    "file_id": "file_id not specified",
    "callback_query_id": "query is too old and response timeout expired or query ID is invalid",
    "message_ids": "message identifiers are not specified",
}


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method or one field of an object type."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str = ""


@dataclass(frozen=True)
class MethodSpec:
    """A Bot API method: its parameters and its documented return types."""

    name: str
    fields: dict[str, FieldSpec]
    returns: tuple[str, ...]


@dataclass(frozen=True)
class TypeSpec:
    """An object type; abstract ones list their concrete ``subtypes``."""

    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...] = ()
    # (field name, value) that identifies this concrete type among its siblings, e.g.
    # ("type", "photo") for InputMediaPhoto.
    discriminator: tuple[str, str] | None = None


@dataclass
class UploadedFile:
    """A multipart file part as received from the bot."""

    name: str
    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)


class _Invalid(Exception):
    """A validation failure inside a JSON value; ``owner`` is the innermost object type."""

    def __init__(self, owner: str | None, message: str) -> None:
        super().__init__(message)
        self.owner = owner
        self.message = message


def _fields(raw: list[dict[str, Any]]) -> dict[str, FieldSpec]:
    return {
        f["name"]: FieldSpec(
            name=f["name"],
            types=tuple(f["types"]),
            required=bool(f["required"]),
            description=f.get("description", ""),
        )
        for f in raw
    }


class ApiSpec:
    """Lookup and validation over the Bot API schema."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data.get("version", "")
        self.methods: dict[str, MethodSpec] = {}
        self._methods_lower: dict[str, MethodSpec] = {}
        for name, raw in data["methods"].items():
            spec = MethodSpec(name, _fields(raw.get("fields", [])), tuple(raw.get("returns", [])))
            self.methods[name] = spec
            self._methods_lower[name.lower()] = spec
        self.types: dict[str, TypeSpec] = {}
        for name, raw in data["types"].items():
            fields = _fields(raw.get("fields", []))
            self.types[name] = TypeSpec(name, fields, tuple(raw.get("subtypes", [])), None)
        for name, type_spec in list(self.types.items()):
            disc = self._find_discriminator(type_spec)
            if disc is not None:
                self.types[name] = TypeSpec(name, type_spec.fields, type_spec.subtypes, disc)

    @staticmethod
    def _find_discriminator(spec: TypeSpec) -> tuple[str, str] | None:
        for candidate in ("type", "source", "status"):
            f = spec.fields.get(candidate)
            if f is None or f.types != ("String",):
                continue
            match = _DISCRIMINATOR_RE.search(f.description)
            if match:
                return candidate, match.group(1)
        return None

    def method(self, name: str) -> MethodSpec | None:
        """Method names are case-insensitive on Telegram."""
        return self._methods_lower.get(name.lower())

    def update_types(self) -> list[str]:
        """All update kinds (the optional fields of ``Update``)."""
        return [name for name in self.types["Update"].fields if name != "update_id"]

    # ----- requests -------------------------------------------------------------------

    def validate_params(
        self, method: MethodSpec, raw: dict[str, str | UploadedFile]
    ) -> dict[str, Any]:
        """Check a request's parameters and decode them into Python values.

        Raises :class:`ApiError` (400) with a Telegram-like description on the first problem.
        File parts that are only referenced through ``attach://name`` are kept under their
        part name so methods can resolve them.
        """
        present = {
            k: v
            for k, v in raw.items()
            if not (isinstance(v, str) and v == "")
            and not (k in PTB_DEFAULT_PARAMETERS and k not in method.fields)
        }
        attached = {
            m.group(1)
            for v in present.values()
            if isinstance(v, str)
            for m in _ATTACH_RE.finditer(v)
        }
        for name, value in present.items():
            if name in method.fields:
                continue
            if isinstance(value, UploadedFile) and name in attached:
                continue
            raise bad_request(f'unknown parameter "{name}" for method {method.name}')
        for spec in method.fields.values():
            if spec.required and spec.name not in present:
                raise bad_request(_MISSING.get(spec.name, f'parameter "{spec.name}" is required'))
        result: dict[str, Any] = {}
        for name, value in present.items():
            spec_field = method.fields.get(name)
            if spec_field is None:
                result[name] = value
                continue
            result[name] = self._decode_param(spec_field, value)
        return result

    def _decode_param(self, spec: FieldSpec, value: str | UploadedFile) -> Any:
        types = spec.types
        if isinstance(value, UploadedFile):
            if "InputFile" in types:
                return value
            raise bad_request(f'parameter "{spec.name}" can\'t be a file upload')
        if all(t in PRIMITIVES for t in types):
            for t in types:
                decoded = _decode_primitive_text(t, value)
                if decoded is not _NO:
                    return decoded
            raise bad_request(f'parameter "{spec.name}" must be of type {" or ".join(types)}')
        try:
            parsed = json.loads(value)
        except ValueError:
            if "String" in types:
                return value
            raise bad_request(f"can't parse {spec.name} JSON object") from None
        try:
            return self._validate_union(parsed, types, owner=None, lenient=True)
        except _Invalid as exc:
            if exc.owner is None:
                raise bad_request(f'parameter "{spec.name}": {exc.message}') from None
            context = _CONTEXT.get(exc.owner, exc.owner)
            if exc.owner.startswith("InputMedia"):
                context = "InputMedia"
            raise bad_request(f"can't parse {context}: {exc.message}") from None

    # ----- JSON values ----------------------------------------------------------------

    def check(self, value: Any, type_expr: str) -> list[str]:
        """Problems of a *response* value against a spec type (strict; used by tests)."""
        try:
            self._validate_union(value, (type_expr,), owner=None, lenient=False)
        except _Invalid as exc:
            return [f"{exc.owner or type_expr}: {exc.message}"]
        return []

    def _validate_union(
        self, value: Any, types: tuple[str, ...], owner: str | None, lenient: bool
    ) -> Any:
        if len(types) == 1:
            return self._validate(value, types[0], owner, lenient)
        if all(t.startswith("Array of ") for t in types):
            # "Array of InputMediaPhoto or Array of InputMediaVideo…": Telegram accepts arrays
            # mixing the element types (albums mix photos and videos), so check per element.
            inner = tuple(t[len("Array of ") :] for t in types)
            if not isinstance(value, list):
                raise _Invalid(owner, f"expected an Array of {' or '.join(inner)}")
            return [self._validate_union(item, inner, owner, lenient) for item in value]
        if isinstance(value, dict):
            for t in types:
                spec = self.types.get(t)
                if spec is not None and spec.discriminator is not None:
                    key, expected = spec.discriminator
                    if value.get(key) == expected:
                        return self._validate(value, t, owner, lenient)
        errors: list[_Invalid] = []
        for t in types:
            try:
                return self._validate(value, t, owner, lenient)
            except _Invalid as exc:
                errors.append(exc)
        # Prefer the error of a candidate the value was evidently meant to be.
        if isinstance(value, dict):
            for t, err in zip(types, errors, strict=True):
                spec = self.types.get(t)
                if spec is not None and any(k in spec.fields for k in value if k != "type"):
                    required = [f for f in spec.fields.values() if f.required]
                    if all(f.name in value for f in required):
                        return _raise(err)
            for t, err in zip(types, errors, strict=True):
                spec = self.types.get(t)
                if spec is not None and any(k in spec.fields for k in value):
                    return _raise(err)
        return _raise(errors[0])

    def _validate(self, value: Any, type_expr: str, owner: str | None, lenient: bool) -> Any:
        if type_expr.startswith("Array of "):
            inner = type_expr[len("Array of ") :]
            if not isinstance(value, list):
                raise _Invalid(owner, f"expected an Array of {inner}")
            return [self._validate(item, inner, owner, lenient) for item in value]
        if type_expr in PRIMITIVES:
            decoded = _check_json_primitive(type_expr, value, lenient)
            if decoded is _NO:
                raise _Invalid(owner, f"expected {type_expr}, got {json.dumps(value)[:40]}")
            return decoded
        spec = self.types.get(type_expr)
        if spec is None:
            raise _Invalid(owner, f"unknown type {type_expr}")
        if type_expr == "KeyboardButton" and isinstance(value, str) and lenient:
            return value  # Telegram still accepts a plain string as a text button.
        if not isinstance(value, dict):
            raise _Invalid(type_expr, f"{type_expr} must be an Object")
        if spec.subtypes:
            return self._validate_abstract(value, spec, lenient)
        if not spec.fields:
            return value
        result: dict[str, Any] = {}
        for key, item in value.items():
            f = spec.fields.get(key)
            if f is None:
                raise _Invalid(type_expr, f'Unknown field "{key}"')
            if item is None and lenient and not f.required:
                continue
            try:
                result[key] = self._validate_union(item, f.types, type_expr, lenient)
            except _Invalid as exc:
                if exc.owner == type_expr and exc.message.startswith("expected "):
                    expected = " or ".join(f.types)
                    raise _Invalid(type_expr, f'Field "{key}" must be of type {expected}') from None
                raise
        for f in spec.fields.values():
            if f.required and f.name not in value:
                raise _Invalid(type_expr, f'Can\'t find field "{f.name}"')
        if spec.discriminator is not None:
            key, expected_value = spec.discriminator
            if value.get(key) != expected_value:
                raise _Invalid(type_expr, f'Field "{key}" must be "{expected_value}"')
        return result

    def _validate_abstract(self, value: dict[str, Any], spec: TypeSpec, lenient: bool) -> Any:
        concrete = [self.types[s] for s in spec.subtypes if s in self.types]
        if concrete and all(c.discriminator is not None for c in concrete):
            key = concrete[0].discriminator[0]  # type: ignore[index]
            if key not in value:
                raise _Invalid(spec.name, f'Can\'t find field "{key}"')
            for c in concrete:
                if c.discriminator == (key, value[key]):
                    return self._validate(value, c.name, spec.name, lenient)
            raise _Invalid(spec.name, f'Unsupported {key} "{value[key]}" for {spec.name}')
        return self._validate_union(value, tuple(c.name for c in concrete), spec.name, lenient)


class _NoValue:
    """Sentinel for 'this value does not decode as that type'."""


_NO: Any = _NoValue()


def _raise(err: _Invalid) -> Any:
    raise err


def _decode_primitive_text(type_name: str, text: str) -> Any:
    """Decode a top-level (string-transported) value; ``_NO`` when it does not fit."""
    stripped = text.strip()
    if type_name == "Integer":
        return int(stripped) if _INT_RE.match(stripped) else _NO
    if type_name == "Float":
        try:
            return float(stripped)
        except ValueError:
            return _NO
    if type_name in ("Boolean", "True"):
        lowered = stripped.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False if type_name == "Boolean" else _NO
        return _NO
    if type_name in ("String", "InputFile"):
        return text
    return _NO


def _check_json_primitive(type_name: str, value: Any, lenient: bool) -> Any:
    """Check a value inside a JSON object the way Telegram's JSON getters do."""
    if type_name == "Integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if lenient and isinstance(value, str) and _INT_RE.match(value.strip()):
            return int(value)
        return _NO
    if type_name == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return _NO
    if type_name == "Boolean":
        return value if isinstance(value, bool) else _NO
    if type_name == "True":
        return value if value is True else _NO
    if type_name in ("String", "InputFile"):
        if isinstance(value, str):
            return value
        if lenient and isinstance(value, int | float) and not isinstance(value, bool):
            return json.dumps(value)
        return _NO
    return _NO


@cache
def load_spec() -> ApiSpec:
    """The bundled Bot API spec, parsed once per process."""
    text = resources.files("bot.emulator").joinpath("api.json").read_text(encoding="utf-8")
    return ApiSpec(json.loads(text))
