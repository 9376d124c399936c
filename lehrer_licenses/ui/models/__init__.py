"""Qt item models over the read queries of ``services.browse``."""
