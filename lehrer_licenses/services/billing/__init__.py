"""Billing: the invoice from draft to paid. The kinds and states of documents (``states``), draft
lines from priced orders (``drafts``, ``draft_edits``), quotes, the gapless numbering per series
and year (``numbering``), payment references (``references``), issuing (``issuing``: number,
reference, document, PDF, audit -- for a single draft and for the year-end run, whose final write
is ``batch_issuing``'s), the document and stored PDF (``printing``), credit notes (the only way to
void an issued invoice), finding and listing invoices (``lookups``), payments, dunning,
e-invoices (Factur-X, XRechnung), and the vendor's identity and billing settings. Services return
typed results; their JSON is shaped in ``cli.json_billing``.
"""
