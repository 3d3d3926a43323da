"""What the API benchmarks need of processes: a free loopback port and a process's resident
memory (psutil when installed, else ``/proc/<pid>/status``)."""

from __future__ import annotations

import socket

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is optional
    psutil = None


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of process ``pid`` (this process when None), in MiB."""
    if psutil is not None:
        return float(psutil.Process(pid).memory_info().rss) / (1 << 20)
    with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
