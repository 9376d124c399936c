"""Per-pupil subscriptions (F1-F11): ``agreements`` (terms, data-processing agreement, the free
trial), ``paid_year`` (with its pre-investment), ``counts`` (monthly pupil counts), ``upgrade``
(with its settlement), ``notice`` (downgrade, cancellation, reminders), ``status``; ``common``
holds what they share.

Every use case is one transaction with an audit entry. The renewal settlement runs in
``services.season.renewals_due``. Rules and readings: ``domain/per_pupil.py``.
"""
