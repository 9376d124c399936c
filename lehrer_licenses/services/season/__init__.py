"""The renewal season: the year-end run of calendar-year contracts (``year_end``), the renewal of
contracts that run from their own start (``renewals_due``), the render worker processes of the
year-end run (``prerender``), and the letters of the season
(renewal letters, notice reminders, price notices, payment reminders' wording) as printable
batches or e-mail drafts.
"""
