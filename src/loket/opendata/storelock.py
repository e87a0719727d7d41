"""Keeping queries off the embedded store while its files are merged or replaced (compaction, rebuild).

A query process keeps the store open read-only (sparql.py) and sees the files that were there when it opened them.
Writes of a sync only add files, and such a reader goes on reading its own view; but a compaction (store.compact_if_due)
or a rebuild deletes files, and a reader that opened the store before and then reads one of those gets no error: it
asked for memory without bound until the kernel killed it (22 GB on the benchmark's store, 6 December 2026), or
aborted under a memory limit. So those two writers take the store exclusively: they wait until the running queries
have finished, and queries wait (a bounded time, then 503) until they are done; afterwards the readers reopen the store
(the writer marks a new generation on closing it).

Two `flock` files in the store's directory: readers hold WRITER.lock shared only for the moment they take READERS.lock
shared, and keep that one for the query; a writer takes WRITER.lock exclusively first, so that new readers queue behind
it instead of starving it, and then READERS.lock exclusively once the running queries are done. The kernel releases a
lock when its process dies, so a killed query or worker never leaves the store locked.
"""

import contextlib
import fcntl
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

WRITER_LOCK = "WRITER.lock"
READERS_LOCK = "READERS.lock"


def _lock_file(directory: Path | str, name: str) -> IO[bytes]:
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "ab")


@contextlib.contextmanager
def exclusive(directory: Path | str) -> Iterator[None]:
    """Hold the store alone: no query runs on it until the block ends. Waits for the running queries."""
    with _lock_file(directory, WRITER_LOCK) as writer, _lock_file(directory, READERS_LOCK) as readers:
        fcntl.flock(writer, fcntl.LOCK_EX)
        try:
            fcntl.flock(readers, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(readers, fcntl.LOCK_UN)
        finally:
            fcntl.flock(writer, fcntl.LOCK_UN)


class ReaderLock:
    """A query process's shared hold on the store, taken for each query (the files stay open between queries)."""

    def __init__(self, directory: Path | str) -> None:
        self.writer = _lock_file(directory, WRITER_LOCK)
        self.readers = _lock_file(directory, READERS_LOCK)

    def acquire(self, wait: float) -> bool:
        """Take the shared hold, waiting at most `wait` seconds for a compaction or rebuild to finish."""
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.writer, fcntl.LOCK_SH | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)
        try:
            # No writer holds READERS.lock now (it would hold WRITER.lock too), so this does not wait.
            fcntl.flock(self.readers, fcntl.LOCK_SH)
        finally:
            fcntl.flock(self.writer, fcntl.LOCK_UN)
        return True

    def release(self) -> None:
        fcntl.flock(self.readers, fcntl.LOCK_UN)

    def close(self) -> None:
        self.writer.close()
        self.readers.close()
