"""Errors a user can cause; their message is shown as it is (translated at the point of raising)."""


class DomainError(Exception):
    """A rule says no. The message names what is wrong in words a clerk understands."""


class CurrencyMismatch(DomainError):
    pass


class PriceMissing(DomainError):
    pass
