"""lehrer-licenses: an offline licence desk for school software."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lehrer-licenses")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
