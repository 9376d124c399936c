"""Dialogs that run one use case each: they preview, and only their OK button writes."""
