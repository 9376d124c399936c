"""Running one use case's steps inside another's open transaction (all or nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


class InTransaction:
    """A ``Database`` look-alike whose transaction is one already open, so that one use case
    can run another's steps inside its own transaction (all or nothing)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        yield self._session

    reading = transaction
