"""Billing: the invoice from draft to paid. Draft lines from priced orders, quotes, the gapless
numbering per series and year, issuing (number, payment reference, document, PDF, audit),
credit notes (the only way to void an issued invoice), payments, dunning, e-invoices (Factur-X,
XRechnung), and the vendor's identity and billing settings. The batch issuing of the year-end
run lives here too, beside the single issue it must equal.
"""
