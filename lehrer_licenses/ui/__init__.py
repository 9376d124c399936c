"""The desktop application (PySide6). It reaches the data only through ``services``."""
