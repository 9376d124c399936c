"""Use cases, one transaction each, and read queries shaped for the views and the CLI."""
