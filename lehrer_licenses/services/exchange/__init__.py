"""Files in and out: reading a spreadsheet's CSV whatever program wrote it, importing schools,
teachers and DB-hosting usage counts (every row or none, every bad row named), and exporting
invoices, payments, schools and seats for accounting as CSV or XLSX.
"""
