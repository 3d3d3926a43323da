"""Index arrays saved beside the store, per store version, and memory-mapped when read back.

Building the search and neighbourhood indexes reads every record of the store (a minute and
a half at 1M entities / 5M relations); reading them back from files takes about a second
and their pages are shared with the operating system's file cache instead of copied onto
the heap. The files live in ``<store>/.innograph-index/<version>/``:

- one ``.npy`` file per numeric array (``np.load(mmap_mode="r")``), one Arrow IPC file per
  string column or record table (``pa.memory_map``, zero copy);
- ``manifest.json``, written last: the format, the store version and fingerprint (counts by
  type) they were built from, and each file's size and SHA-256.

A folder is written under a temporary name and renamed into place, so a reader sees a whole
folder or none. A folder is trusted only when its manifest parses, names this format, the
store's version and fingerprint, and every file has its recorded size and digest; anything
else (a partial copy, a flipped byte, another version's files) is ignored — the index is
built from the store and saved again. Older versions' folders are removed after a save
(a process still mapping one keeps its pages: unlinking does not unmap).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

log = logging.getLogger("innograph.index")

FOLDER = ".innograph-index"
FORMAT = 2
MANIFEST = "manifest.json"
Arrays = dict[str, Any]  # name -> np.ndarray | pa.Array | pa.Table


def folder_of(location: str) -> Path | None:
    """Where a store's index files go: inside an embedded store's folder; ``None`` for a
    store that is not a local folder (Neo4j: its indexes stay in memory)."""
    path = Path(location)
    return path / FOLDER if path.is_dir() else None


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _write(folder: Path, name: str, value: Any) -> str:
    name = name.replace("/", "--")  # one flat folder
    if isinstance(value, np.ndarray):
        file = f"{name}.npy"
        np.save(folder / file, np.ascontiguousarray(value), allow_pickle=False)
        return file
    table = value if isinstance(value, pa.Table) else pa.table({"value": value})
    file = f"{name}.{'table' if isinstance(value, pa.Table) else 'column'}.arrow"
    with pa.OSFile(str(folder / file), "wb") as sink, \
            pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return file


def _read(path: Path) -> Any:
    if path.suffix == ".npy":
        return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
    table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    if path.name.endswith(".table.arrow"):
        return table
    column = table.column(0)
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def save(root: Path, version: int, fingerprint: dict[str, Any], arrays: Arrays) -> Path | None:
    """Write ``arrays`` as version ``version``'s folder under ``root``; ``None`` (logged)
    when the folder cannot be written — the index then simply stays in memory."""
    target = root / str(version)
    try:
        root.mkdir(exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
        files = {}
        for name, value in arrays.items():
            file = _write(temporary, name, value)
            files[name] = {"file": file, "size": (temporary / file).stat().st_size,
                           "sha256": _digest(temporary / file)}
        manifest = {"format": FORMAT, "version": version, "fingerprint": fingerprint,
                    "files": files}
        (temporary / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        if target.exists() and load(root, version, fingerprint) is None:
            shutil.rmtree(target, ignore_errors=True)  # a bad folder: replaced, not kept
        try:
            os.rename(temporary, target)
        except OSError:  # another process saved this version first: keep theirs
            shutil.rmtree(temporary, ignore_errors=True)
            return target if target.is_dir() else None
    except OSError as e:
        log.warning("index not saved to %s: %s", target, e)
        return None
    remove_others(root, keep=str(version))
    return target


def remove_others(root: Path, keep: str) -> None:
    """Remove every other version's folder (and temporary folders left by a crash)."""
    try:
        for entry in root.iterdir():
            if entry.name != keep and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
    except OSError:  # the store's folder went away meanwhile
        return


def saved(root: Path, version: int) -> bool:
    """Whether a folder for ``version`` is there (whether it can be trusted, :func:`load`
    says)."""
    return (root / str(version) / MANIFEST).is_file()


def load(root: Path, version: int, fingerprint: dict[str, Any]) -> Arrays | None:
    """The arrays saved for ``version`` and ``fingerprint``, memory-mapped, or ``None`` when
    there are none or they cannot be trusted (the reason is logged)."""
    folder = root / str(version)
    if not (folder / MANIFEST).is_file():
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        if (manifest.get("format"), manifest.get("version"), manifest.get("fingerprint")) \
                != (FORMAT, version, fingerprint):
            raise ValueError("built for another format, version or store")
        arrays = {}
        for name, entry in manifest["files"].items():
            path = folder / entry["file"]
            if path.parent != folder or path.stat().st_size != entry["size"] \
                    or _digest(path) != entry["sha256"]:
                raise ValueError(f"{entry['file']} differs from the manifest")
            arrays[name] = _read(path)
        return arrays
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pa.ArrowException) as e:
        log.warning("index files in %s ignored (%s): rebuilding", folder, e)
        return None
