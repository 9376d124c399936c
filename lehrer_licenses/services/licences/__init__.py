"""Licences: the three licence models of DESIGN.md section 1 and what they share.

``seats`` sells per-teacher seats by the calendar year (L1-L13), ``packages`` user packages with
subject add-ons by the licence year of their own start (M1-M11), ``pupils`` per-pupil
subscriptions (F1-F11). ``contract_years`` finds a school's contract of one model and keeps dates
inside its licence year; ``codes`` issues the signed registration code (L6) each change needs.
``cancellation`` is the one interface of the models for notice and cancellation (and the one
place a cancellation record is written); ``renewal_steps`` adds the renewal step of the models
whose contracts renew on their own date (packages, add-ons, per-pupil), which
``season.renewals_due`` runs.
"""
