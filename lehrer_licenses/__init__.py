"""lehrer-licenses: an offline licence desk for school software."""

from functools import cache


def __getattr__(name: str) -> str:
    # Looked up when first asked for: importing importlib.metadata cost the app's start 40 ms
    # before its window showed (issue 21). ``from lehrer_licenses import __version__`` still works.
    if name == "__version__":
        return _version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lehrer-licenses")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"
