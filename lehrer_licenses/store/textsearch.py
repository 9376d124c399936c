"""Case- and accent-insensitive search on SQLite, where LIKE only folds ASCII letters.

``folded(column)`` compiles to a Python function registered on every SQLite connection, so
"żółć" finds "Żółć" and "zurich" finds "Zürich". Other databases get ``lower()`` (PostgreSQL
folds Unicode case itself; accents would need its unaccent extension).
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "ll_fold"


# Latin letters that are not a base letter plus an accent, so NFKD leaves them as they are:
# without these "zolc" would not find "Żółć", nor "orsted" "Ørsted" or "yilmaz" "Yılmaz".
UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "œ": "oe", "æ": "ae", "þ": "th"}
)


def fold(text: str | None) -> str | None:
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class folded(FunctionElement):
    type = String()
    inherit_cache = True
    name = "folded"


@compiles(folded)
def _folded_default(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


def register_sqlite_functions(dbapi_connection, _record) -> None:
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)


def contains(column, text: str):
    """``column`` contains ``text``, ignoring case and accents (LIKE wildcards escaped)."""
    needle = fold(text.strip()) or ""
    needle = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return folded(column).like(f"%{needle}%", escape="\\")
