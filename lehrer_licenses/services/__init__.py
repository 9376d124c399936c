"""The use cases of the licence desk, one transaction each, and the read queries shaped for the
views and the command line. Nothing here imports Qt; the app (``ui/``) and the command line
(``cli/``) call these functions and show what they return.

The rooms, by what they own:

- ``licences``: the three licence models and what they share: per-teacher seats (L1-L13),
  user packages with subject add-ons (M1-M11), per-pupil subscriptions (F1-F11), the
  registration codes every licence change issues.
- ``billing``: the invoice and its life: drafts, numbering, issuing, credit notes, quotes,
  payments, dunning, e-invoices, the vendor who bills.
- ``season``: the renewal season: the year-end run of calendar-year contracts, the renewals of
  contracts with their own licence year, the render workers, renewal letters and their e-mails.
- ``browse``: read models for the views and the command line; nothing in it writes.
- ``exchange``: files in and out: reading spreadsheets' CSV, importing schools, teachers and
  usage counts, exporting for accounting.
- ``demo``: realistic sample data.
- Top level: ``schools`` (adding and finding schools), ``catalogue`` (plans and dated prices),
  ``database_init`` (create or migrate a database), ``backups`` (files, and server databases
  through pg_dump), ``server_move`` (a desk file onto a server database), ``errors``,
  ``amount_text``.
"""
