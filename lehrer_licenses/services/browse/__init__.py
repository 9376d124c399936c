"""Read models for the views and the command line: schools list, school detail, seats, invoices,
licences, renewals, catalogue, history, the signing key. Each query is shaped for its view
(paging, sorting and filtering in SQL, no N+1 loads). Nothing in here writes.
"""
