"""Per-user options of the desktop app, declared once with their type and default.

Business settings (vendor identity, invoice numbering) live in the database; what is here
belongs to one person on one machine. QSettings hands values back as whatever its backend
stored (a one-element list can come back as a plain string, booleans as "true"), so every
option converts on the way out and the rest of the UI only ever sees the declared type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "lehrer-licenses"
APPLICATION = "lehrer-licenses"
MAX_RECENT = 8


class Option(Generic[T]):
    """A named, typed value with a default; ``registry`` lists every declared option."""

    registry: ClassVar[dict[str, Option[Any]]] = {}

    def __init__(self, section: str, name: str, default: T, convert: Callable[[Any], T]) -> None:
        self.key = f"{section}/{name}"
        self.default = default
        self._convert = convert
        if self.key in Option.registry:
            raise ValueError(f"option {self.key} declared twice")
        Option.registry[self.key] = self

    def convert(self, raw: Any) -> T:
        if raw is None:
            return self.default
        try:
            return self._convert(raw)
        except (TypeError, ValueError):
            return self.default

    def __repr__(self) -> str:
        return f"Option({self.key!r}, default={self.default!r})"


def _bool(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return bool(raw)


def _list(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw] if raw else []
    return [str(item) for item in raw if item]


def _bytes(raw: Any) -> QByteArray:
    return raw if isinstance(raw, QByteArray) else QByteArray(bytes(raw))


class TextOption(Option[str]):
    def __init__(self, section: str, name: str, default: str = "") -> None:
        super().__init__(section, name, default, str)


class BoolOption(Option[bool]):
    def __init__(self, section: str, name: str, default: bool = False) -> None:
        super().__init__(section, name, default, _bool)


class IntOption(Option[int]):
    def __init__(self, section: str, name: str, default: int = 0) -> None:
        super().__init__(section, name, default, int)


class ListOption(Option[list[str]]):
    def __init__(self, section: str, name: str) -> None:
        super().__init__(section, name, [], _list)


class BytesOption(Option[QByteArray]):
    def __init__(self, section: str, name: str) -> None:
        super().__init__(section, name, QByteArray(), _bytes)


# Empty means "follow the operating system".
UI_LANGUAGE = TextOption("ui", "language")
FORMAT_LOCALE = TextOption("ui", "format_locale")
LAST_DATABASE = TextOption("files", "last_database")
RECENT_DATABASES = ListOption("files", "recent_databases")
# user@host:port/database, never a password (that is in ~/.pgpass, the keyring or typed)
RECENT_SERVERS = ListOption("files", "recent_servers")
WINDOW_GEOMETRY = BytesOption("window", "geometry")
WINDOW_STATE = BytesOption("window", "state")
SCHOOLS_SPLITTER = BytesOption("schools", "splitter")
SCHOOLS_HEADER = BytesOption("schools", "header")
CURRENT_VIEW = IntOption("window", "current_view", 0)


class Settings:
    """Typed access to QSettings: ``settings[UI_LANGUAGE]``, ``settings[UI_LANGUAGE] = "de"``."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings(ORGANISATION, APPLICATION)

    def __getitem__(self, option: Option[T]) -> T:
        return option.convert(self.store.value(option.key))

    def __setitem__(self, option: Option[T], value: T) -> None:
        self.store.setValue(option.key, value)

    def reset(self, option: Option[Any]) -> None:
        self.store.remove(option.key)

    def add_recent_database(self, path: str) -> list[str]:
        """Put ``path`` first in the recent list (once) and remember it as the last one."""
        recent = [p for p in self[RECENT_DATABASES] if p != path]
        recent = [path, *recent][:MAX_RECENT]
        self[RECENT_DATABASES] = recent
        self[LAST_DATABASE] = path
        return recent

    def add_recent_server(self, label: str) -> list[str]:
        recent = [label, *(s for s in self[RECENT_SERVERS] if s != label)][:MAX_RECENT]
        self[RECENT_SERVERS] = recent
        return recent

    def sync(self) -> None:
        self.store.sync()
