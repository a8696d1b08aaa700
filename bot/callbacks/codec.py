"""Callback data as a codec: one frozen dataclass per kind of button.

Wire format: ``<version><prefix>|<field>|<field>…`` — e.g. ``1lang|zh-hant``. ``pack`` refuses
anything over Telegram's 64-byte limit or a field that would break the format; ``decode``
returns ``None`` for anything it does not fully understand (stale versions, forged data), and
one handler answers those politely. Ids in buttons are only references: every action checks
the acting user's rights again in ``storage``.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum
from typing import Any, ClassVar, Self

VERSION = "1"
SEPARATOR = "|"
MAX_BYTES = 64

_REGISTRY: dict[str, type[CallbackData]] = {}


class CallbackDataError(ValueError):
    """A button could not be encoded: a programming error, caught by tests."""


class CallbackData:
    """Base of every button payload; subclasses are declared with ``@callback(prefix)``."""

    PREFIX: ClassVar[str]

    def pack(self) -> str:
        parts = [VERSION + self.PREFIX]
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            parts.append(_encode(getattr(self, f.name), f.name))
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise CallbackDataError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def match(cls, data: object) -> bool:
        """A ``CallbackQueryHandler`` pattern: true only for well-formed data of this kind."""
        return isinstance(data, str) and isinstance(decode(data), cls)

    @classmethod
    def parse(cls, data: object) -> Self | None:
        decoded = decode(data) if isinstance(data, str) else None
        return decoded if isinstance(decoded, cls) else None


_C = typing.TypeVar("_C", bound=type[CallbackData])


def callback(prefix: str) -> typing.Callable[[_C], _C]:
    """Register a frozen dataclass as a button payload under a unique prefix."""

    def register(cls: _C) -> _C:
        if prefix in _REGISTRY:
            raise CallbackDataError(f"duplicate callback prefix {prefix!r}")
        if not prefix.isalnum():
            raise CallbackDataError(f"callback prefix must be alphanumeric: {prefix!r}")
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen:
            raise CallbackDataError(f"{cls.__name__} must be a frozen dataclass")
        cls.PREFIX = prefix
        _REGISTRY[prefix] = cls
        return cls

    return register


def decode(data: str) -> CallbackData | None:
    """The payload a button carries, or None if it is stale, foreign or malformed."""
    head, *raw = data.split(SEPARATOR)
    if not head.startswith(VERSION):
        return None
    cls = _REGISTRY.get(head[len(VERSION) :])
    if cls is None:
        return None
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if len(raw) != len(fields):
        return None
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for f, text in zip(fields, raw, strict=True):
        try:
            values[f.name] = _decode(text, hints[f.name])
        except (ValueError, KeyError):
            return None
    return cls(**values)


def _encode(value: object, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    text = str(value)
    if SEPARATOR in text:
        raise CallbackDataError(f"field {name!r} contains {SEPARATOR!r}")
    return text


def _decode(text: str, hint: Any) -> Any:
    args = typing.get_args(hint)
    if type(None) in args:
        if text == "":
            return None
        hint = next(a for a in args if a is not type(None))
    if hint is bool:
        if text not in {"0", "1"}:
            raise ValueError(text)
        return text == "1"
    if hint is int:
        if not text.lstrip("-").isdigit():
            raise ValueError(text)
        return int(text)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(text)
    if hint is str:
        return text
    raise ValueError(f"unsupported callback field type {hint!r}")
