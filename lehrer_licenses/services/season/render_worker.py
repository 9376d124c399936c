"""The worker process of ``services.season.prerender``: renders invoice PDFs.

Documents come in on stdin and their PDFs (or the problem, as text) go out on stdout, each
message a pickle behind its length. It ends at the end of its input, so it ends with the run
that started it, even when that run is killed.

    python -m lehrer_licenses.services.season.render_worker
"""

from __future__ import annotations

import pickle
import struct
import sys
from typing import IO, Any

HEADER = struct.Struct("!Q")


def read_message(stream: IO[bytes]) -> Any | None:
    """The next message, or None at the end of the stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    size = HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # from the process that started this one


def write_message(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def main() -> None:
    from lehrer_licenses.documents import render_invoice

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while (document := read_message(source)) is not None:
        try:
            result: tuple[bool, bytes | str] = (True, render_invoice(document))
        except Exception as exc:  # the run renders this one itself and reports it
            result = (False, str(exc))
        try:
            write_message(sink, result)
        except BrokenPipeError:
            return


if __name__ == "__main__":
    main()
