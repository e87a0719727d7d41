"""Virus scanning through `core.virusscan.scan_chunks` against the tests' clamd (Debian's clamav-daemon with only the
repository's EICAR signature): clamd's start-up time and the median of 3 scans of a clean stream of 1, 10 and 99 MB.

Run: `LOKET_DEV=1 .venv/bin/python bench/virus_scan.py`"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from tests.support.clamd import running_clamd  # noqa: E402

from loket.core.virusscan import scan_chunks  # noqa: E402


def main() -> None:
    started = time.monotonic()
    with running_clamd() as clamd:
        print(f"clamd start (EICAR-only database): {time.monotonic() - started:.2f} s")
        settings.LOKET_CLAMD_SOCKET = clamd.socket_path
        for megabytes in (1, 10, 99):
            body = b"%PDF-1.4\n" + os.urandom(megabytes * 1024 * 1024)
            times = []
            for _ in range(3):
                begin = time.monotonic()
                assert scan_chunks([body]) is None
                times.append(time.monotonic() - begin)
            print(f"{megabytes} MB clean: median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
