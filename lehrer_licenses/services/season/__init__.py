"""The renewal season: the year-end run of calendar-year contracts (``year_end``), the renewal of
contracts that run from their own start (``renewals_due``), PDFs rendered ahead in a worker
process for those runs, the audit entries of a batch step, and the letters of the season
(renewal letters, notice reminders, price notices, payment reminders' wording) as printable
batches or e-mail drafts.
"""
