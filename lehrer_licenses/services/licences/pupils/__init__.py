"""Per-pupil subscriptions (F1-F11): terms and data-processing agreement, the free trial, the paid
year with its pre-investment, monthly pupil counts, upgrades with their settlement, downgrades,
cancellation and reminders.
"""
