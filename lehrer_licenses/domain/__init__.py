"""Pure licence rules: money, periods, catalogue, pricing, seats, usage, codes.

No I/O, no Qt, no ORM: everything here is tested without a database or a screen.
"""
