"""Case- and accent-insensitive search on SQLite, where LIKE only folds ASCII letters.

``folded(column)`` compiles to a Python function registered on every SQLite connection, so
"żółć" finds "Żółć" and "zurich" finds "Zürich". Other databases get ``lower()`` (PostgreSQL
folds Unicode case itself; accents would need its unaccent extension).

The schools search, the one that must be quick and the same on every database, does not fold at
query time at all: ``school.search_text`` stores ``school_search_text`` of the fields it searches,
folded by this same ``fold`` whenever a school is written (store/models.py), so SQLite and
PostgreSQL compare the same stored text with the same folded needle (``contains_folded``).
``teacher.search_text`` does the same for "first last" (the seats view's teacher filter).
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
    # Most names are plain ASCII, which folds to lower case: a canton's import folds 100,000.
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(UNDECOMPOSED))
    if decomposed.isascii():
        return decomposed
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


# Between the fields in ``school.search_text``: nobody types it, so a needle never matches across
# the end of one field and the start of the next.
FIELD_SEPARATOR = "\x1f"


def school_search_text(number: str, name: str, postcode: str, city: str) -> str:
    return FIELD_SEPARATOR.join(fold(field or "") or "" for field in (number, name, postcode, city))


def teacher_search_text(first_name: str, last_name: str) -> str:
    return fold(f"{first_name or ''} {last_name or ''}") or ""


def _like_pattern(text: str) -> str:
    needle = fold(text.strip()) or ""
    return needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_folded(column, text: str):
    """``column``, already folded when it was written, contains ``text`` folded the same way."""
    return column.like(f"%{_like_pattern(text)}%", escape="\\")


def contains(column, text: str):
    """``column`` contains ``text``, ignoring case and accents (LIKE wildcards escaped)."""
    return folded(column).like(f"%{_like_pattern(text)}%", escape="\\")
