"""Per-teacher seats (L1-L13): the school's contract and its seats, orders (first order, reorder,
reactivation, resumption), undoing an order entered by mistake, written cancellations, the
teachers holding seats (assign, transfer, free, freeze, the free admin login), and the monthly
user counts of DB-hosting schools (L7).
"""
