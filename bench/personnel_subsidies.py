"""Issue 15's benchmark under the name it asks for: runs `bench/personnel.py` and then `bench/subsidies.py`, each in
its own process (each configures Django for its own PostgreSQL database), passing `--reset` through.

    .venv/bin/python bench/personnel_subsidies.py [--reset]
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    extra = [arg for arg in sys.argv[1:] if arg == "--reset"]
    worst = 0
    for script in ("personnel.py", "subsidies.py"):
        print(f"== {script} ==", flush=True)
        worst = max(worst, subprocess.call([sys.executable, str(HERE / script), *extra]))
    return worst


if __name__ == "__main__":
    sys.exit(main())
