"""Run one atheris harness (coverage-guided, libFuzzer) for a number of seconds.

    .venv/bin/python -m tests.fuzz.run_atheris <turtle|rdfa|melding|xml> [--seconds 60] [--corpus DIR]

Starts from tests/fuzz/corpus/<target> (copied to a working directory, so the committed seeds stay as they are)
and the crashes found earlier; a crash is written to tests/fuzz/crashes/<target>/ (add it to the repository: the
replay test then keeps it as a regression test) and the exit code is not 0. `make fuzz FUZZ_SECONDS=600` runs
every harness.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target", choices=["turtle", "rdfa", "melding", "xml"])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--corpus", type=Path, help="working corpus (default: a temporary directory)")
    arguments = parser.parse_args()

    import atheris

    # Coverage feedback from our code and the pure-Python parsers it hands untrusted input to.
    with atheris.instrument_imports(include=["loket", "pyRdfa", "html5lib", "pyld", "rdflib"]):
        from tests.fuzz import harnesses

    target = harnesses.TARGETS[arguments.target]
    corpus = arguments.corpus or Path(tempfile.mkdtemp(prefix=f"loket-fuzz-{arguments.target}-"))
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in [*(harnesses.CORPUS / arguments.target).iterdir(), *(harnesses.CRASHES / arguments.target).iterdir()]:
        if seed.is_file() and not seed.name.startswith("."):
            shutil.copy(seed, corpus / seed.name)
    crashes = harnesses.CRASHES / arguments.target
    libfuzzer = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={arguments.seconds}",
        f"-artifact_prefix={crashes}/",
        "-max_len=65536",
        "-timeout=20",
        "-rss_limit_mb=2048",
        "-print_final_stats=1",
    ]
    atheris.Setup(libfuzzer, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
