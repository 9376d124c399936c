"""Pure licence rules: money, periods, catalogue, pricing, seats, usage, codes. No I/O, no Qt, no ORM."""
