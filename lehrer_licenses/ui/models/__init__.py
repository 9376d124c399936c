"""Qt item models over the read queries of the ``services.browse_*`` modules."""
