"""CLI start-up (issue 20): ``innograph --help`` and a search on the sample, against a
minimal typer app's ``--help``, all timed in one run of this script.

Each command runs ``--repeat`` times as a fresh process (wall clock, from ``subprocess.run``
to its exit), round-robin so that load on the shared machine falls on all three alike.
Reported: median and minimum wall time per command and each one's ratio to the typer
baseline; targets (issue 20): ``--help`` ≤ 2× the baseline, ``search`` ≤ 3×, judged on
the medians. The median CPU seconds of each process (user + system) are printed too: on a
shared machine they move less with the load than wall time does.

* baseline: a temporary file holding a typer app with one command, ``python app.py --help``;
* ``innograph --help``: the entry point of ``innograph`` (``innograph.cli:main``) run
  from this checkout, so its packages are the ones imported;
* ``innograph --store DIR search 温州``: DIR holds the Wenzhou sample, loaded once before
  timing with ``innograph --store DIR demo --no-serve``.

Run: ``.venv/bin/python -m bench.cli_startup [--repeat 15] [--imports]``; ``--imports``
also lists the slowest top-level imports of each innograph command (``-X importtime``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# what the `innograph` console script runs; -c puts the working directory (ROOT) first on
# sys.path, so this checkout's packages are imported, not those of an editable install
ENTRY = "import sys; sys.argv[0] = 'innograph'; from innograph.cli import main; main()"
MINIMAL_APP = '''import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello."""
    print(f"hello {name}")


if __name__ == "__main__":
    app()
'''
TARGETS = {"innograph --help": 2.0, "innograph search": 3.0}


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from start to exit of one process, and its CPU seconds; it must succeed."""
    cpu = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, _cpu_of_children() - cpu


def _slowest_imports(argv: list[str], env: dict[str, str], count: int = 8) -> list[str]:
    """The ``count`` slowest top-level imports of a command (cumulative microseconds)."""
    done = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if name.startswith(" ") and not name.startswith("  "):  # one space: top level
            try:
                rows.append((int(cumulative), name.strip()))
            except ValueError:  # the header line
                continue
    return [f"{name} {us / 1000:.0f} ms" for us, name in sorted(rows, reverse=True)[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per command")
    parser.add_argument("--imports", action="store_true",
                        help="also list each innograph command's slowest imports")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="innograph-cli-bench-") as tmp:
        folder = Path(tmp)
        app = folder / "minimal_app.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")
        store = folder / "store"
        # as a user runs it: bytecode written on the first run and read after (this machine's
        # shells set PYTHONDONTWRITEBYTECODE, which made every timed run recompile
        # innograph's modules while typer's came precompiled from its wheel)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["INNOGRAPH_REJECTS_DIR"] = str(folder / "rejects")
        innograph = [sys.executable, "-c", ENTRY]
        _run([*innograph, "--store", str(store), "demo", "--no-serve"], env)
        commands = {
            "typer --help (baseline)": [sys.executable, str(app), "--help"],
            "innograph --help": [*innograph, "--help"],
            "innograph search": [*innograph, "--store", str(store), "search", "温州"],
        }
        for argv in commands.values():  # warm the file cache and .pyc files
            _run(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, argv in commands.items():
                wall, used = _run(argv, env)
                times[name].append(wall)
                cpu[name].append(used)
        slowest = {name: _slowest_imports(argv, env) for name, argv in commands.items()
                   if args.imports and name in TARGETS}

    base = times["typer --help (baseline)"]
    base_median, base_min = statistics.median(base), min(base)
    base_cpu = statistics.median(cpu["typer --help (baseline)"])
    print(f"CLI start-up, {args.repeat} runs each, round-robin; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(f"{'command':<26}{'median s':>9}{'min s':>7}{'× median':>10}{'× min':>7}"
          f"{'cpu s':>7}{'× cpu':>7}  target (on the median)")
    for name, values in times.items():
        median, fastest, used = statistics.median(values), min(values), statistics.median(cpu[name])
        target = TARGETS.get(name)
        verdict = "" if target is None else \
            f"≤{target:g}× {'ok' if median / base_median <= target else 'MISSED'}"
        print(f"{name:<26}{median:>9.3f}{fastest:>7.3f}{median / base_median:>10.2f}"
              f"{fastest / base_min:>7.2f}{used:>7.3f}{used / base_cpu:>7.2f}  {verdict}")
    for name, lines in slowest.items():
        print(f"\nslowest imports of {name}: " + "; ".join(lines))


if __name__ == "__main__":
    main()
