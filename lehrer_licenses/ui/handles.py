"""What the UI knows of an open database: where it is and how to close it.

Everything else about it goes through ``services``; the UI never imports ``store`` (DESIGN
section 3, checked by tests/test_layers.py), so it names the database by this protocol.
"""

from __future__ import annotations

from typing import Protocol

# The variable the store reads when no --db is given (store.database.ENV_VAR; a test keeps
# the two equal).
DATABASE_ENV_VAR = "LEHRER_LICENSES_DB"


class Database(Protocol):
    url: str

    def dispose(self) -> None: ...
