"""Realistic sample data for trying the desk: schools of CH, DE, AT and NL with teachers, seats,
user packages, per-pupil subscriptions and three years of history.
"""
