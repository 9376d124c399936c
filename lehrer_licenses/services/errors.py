"""Errors of the use cases: all are DomainError, the message is for the user, nothing written."""

from lehrer_licenses.domain.errors import DomainError
from lehrer_licenses.store.database import ConcurrentChange, DatabaseBusy

__all__ = ["ConcurrentChange", "DatabaseBusy", "DomainError", "InvalidInput", "NotFound"]


class NotFound(DomainError):
    pass


class InvalidInput(DomainError):
    pass
