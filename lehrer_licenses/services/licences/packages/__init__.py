"""User packages (M1-M11): activation, user counts and the over-capacity rule, the mid-year upgrade,
size changes, cancellation, the move to the full package, and the subject add-ons (M10) billed
on their own.
"""
