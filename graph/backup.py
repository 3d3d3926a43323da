"""Back a whole graph up into one file, and restore it into an empty store, verified.

A backup is a zip holding:

- ``manifest.json``: the format and its version, when and from which store it was taken,
  the counts, the graph's content hash and, per member, its size and SHA-256;
- ``entities.arrow`` and ``relations.arrow``: every record exactly as stored, as Arrow IPC
  files with every column of :data:`schema.tables.ENTITY_SCHEMA` /
  :data:`~schema.tables.RELATION_SCHEMA` (the claims of each source, the ingest fields
  ``run``/``file``/``row``/``origin``, the content hash ``chash``);
- ``scores.json``: the stored analytics scores (derived data, outside the content hash).

The backup reads through the store contract, so it works with every backend, and it works
while another process (an ``innograph serve`` with writes enabled) holds the store: open the
embedded store read-only, which follows the other process's writes. The tables, the scores
and the content hash are read between two reads of :meth:`GraphStore.version`; when a
write came in between, the read is taken again (a bounded number of times).

A restore reads no more than the bundle declares (each member's size is recorded in the
manifest and checked against the zip's own), checks every member's digest and that the
tables hash to the recorded content hash, all before it writes anything; then it loads into
an empty store and checks that the store's content hash is the recorded one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa

from schema import IntegrityError, InvalidInput, StoreError, UnreadableFile
from schema.tables import ENTITY_SCHEMA, RELATION_SCHEMA

from .store.base import GraphStore
from .store.records import check_scores, combine_hashes

FORMAT = "innograph-backup"
#: the bundle layout this module writes; it reads this version and older
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ENTITIES = "entities.arrow"
RELATIONS = "relations.arrow"
SCORES = "scores.json"
DATA_MEMBERS = (ENTITIES, RELATIONS, SCORES)
#: a manifest is a few hundred bytes; anything near this is not one
MAX_MANIFEST_BYTES = 1 << 20
#: default bound on what a restore reads (the members' declared sizes together)
MAX_BUNDLE_BYTES = 16 << 30
#: reads of the whole graph a backup tries before it gives up on a store that keeps changing
READ_ATTEMPTS = 5


@dataclass
class BackupReport:
    """What :func:`backup` wrote."""

    path: str
    store: str
    entities: int
    relations: int
    scores: int
    content_hash: str
    store_version: int
    #: how many reads it took to get one that no write interrupted
    attempts: int
    bytes: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Bundle:
    """A backup read back and checked: its manifest and its contents."""

    path: str
    manifest: dict[str, Any]
    entities: pa.Table
    relations: pa.Table
    scores: dict[str, dict[str, float]]

    @property
    def content_hash(self) -> str:
        return str(self.manifest["content_hash"])


@dataclass
class RestoreReport:
    """What :func:`restore` loaded, and the content hash it verified."""

    path: str
    destination: str
    entities: int
    relations: int
    scores: int
    content_hash: str
    format_version: int
    taken: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# -- backup ------------------------------------------------------------------------------
def backup(store: GraphStore, out: Path | str, *, attempts: int = READ_ATTEMPTS) -> BackupReport:
    """Write everything ``store`` holds into the bundle ``out`` (replaced atomically if it
    exists: until the new bundle is complete the old one stays as it was)."""
    started = time.perf_counter()
    out = Path(out).expanduser()
    if out.is_dir():
        raise InvalidInput("--out", f"{out} is a folder; give the path of a file to write")
    if not out.parent.is_dir():
        raise InvalidInput("--out", f"folder {out.parent} does not exist")
    version, entities, relations, scores, content_hash, tries = _consistent_read(store, attempts)
    manifest: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "taken": datetime.now(UTC).isoformat(timespec="seconds"),
        "innograph": _package_version(), "store_kind": store.kind, "store": store.location,
        "store_version": version, "entities": entities.num_rows,
        "relations": relations.num_rows, "scores": len(scores), "content_hash": content_hash,
        "members": {},
    }
    partial = out.with_name(out.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=6) as archive:
            members = manifest["members"]
            members[ENTITIES] = _write_member(archive, ENTITIES,
                                              lambda sink: _write_arrow(sink, entities))
            members[RELATIONS] = _write_member(archive, RELATIONS,
                                               lambda sink: _write_arrow(sink, relations))
            text = json.dumps(scores, ensure_ascii=False, sort_keys=True, allow_nan=False)
            members[SCORES] = _write_member(archive, SCORES,
                                            lambda sink: sink.write(text.encode()))
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, out)
    except OSError as e:
        raise StoreError(f"cannot write the backup {out}: {e.strerror or e}") from e
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(str(out), store.location, entities.num_rows, relations.num_rows,
                        len(scores), content_hash, version, tries, out.stat().st_size,
                        time.perf_counter() - started)


def _consistent_read(store: GraphStore, attempts: int
                     ) -> tuple[int, pa.Table, pa.Table, dict[str, dict[str, float]], str, int]:
    """The tables, scores and content hash as of one version of the store.

    Each table read is a snapshot of its own; a write between them (or before the scores
    or the hash) changes :meth:`GraphStore.version`, and then the read is taken again."""
    if attempts < 1:
        raise InvalidInput("attempts", f"must be at least 1, got {attempts}")
    for attempt in range(1, attempts + 1):
        before = store.version()
        entities = store.entities_table()
        relations = store.relations_table()
        scores = store.read_scores()
        stored_hash = store.stats().content_hash
        if store.version() != before:
            continue  # a write came in between: read again
        if _table_hash(entities, relations) != stored_hash:
            continue  # not one state of the graph after all
        return before, entities, relations, scores, stored_hash, attempt
    raise StoreError(f"store {store.location} changed during each of {attempts} reads of the "
                     "whole graph; take the backup when writes pause")


def _table_hash(entities: pa.Table, relations: pa.Table) -> str:
    return combine_hashes(entities.column("chash").to_pylist(),
                          relations.column("chash").to_pylist())


class _Digesting(io.RawIOBase):
    """A write-only stream that passes bytes on and counts and hashes them."""

    def __init__(self, sink: IO[bytes]) -> None:
        self.sink = sink
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.sink.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)


def _write_member(archive: zipfile.ZipFile, name: str,
                  fill: Callable[[_Digesting], object]) -> dict[str, Any]:
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as handle:
        sink = _Digesting(handle)
        fill(sink)
    return {"bytes": sink.size, "sha256": sink.digest.hexdigest()}


def _write_arrow(sink: _Digesting, table: pa.Table) -> None:
    with pa.ipc.new_file(pa.PythonFile(sink, mode="w"), table.schema) as writer:
        writer.write_table(table)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("innograph")
    except PackageNotFoundError:
        return "unknown"


# -- reading a bundle back ---------------------------------------------------------------
def read_bundle(path: Path | str, *, max_bytes: int = MAX_BUNDLE_BYTES) -> Bundle:
    """Read and check the bundle at ``path``; raise :class:`schema.UnreadableFile` (one line)
    for anything that is not an intact bundle this version can read. Reads at most the
    sizes the manifest records, and at most ``max_bytes`` in all."""
    path = Path(path).expanduser()
    where = str(path)
    if not path.is_file():
        raise UnreadableFile(where, "no such file" if not path.exists() else "not a file")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive, where)
            infos = _check_members(archive, manifest, where, max_bytes)
            data = {name: _read_member(archive, infos[name], manifest["members"][name], where)
                    for name in DATA_MEMBERS}
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise UnreadableFile(where, f"damaged or not a backup ({_first_line(e)})") from e
    entities = _read_table(data[ENTITIES], ENTITY_SCHEMA, ENTITIES, where)
    relations = _read_table(data[RELATIONS], RELATION_SCHEMA, RELATIONS, where)
    scores = _read_scores(data[SCORES], where)
    counts = (entities.num_rows, relations.num_rows, len(scores))
    recorded = (manifest["entities"], manifest["relations"], manifest["scores"])
    if counts != recorded:
        raise UnreadableFile(where, f"holds {counts[0]} entities, {counts[1]} relations and "
                                    f"scores of {counts[2]}, but its manifest records "
                                    f"{recorded[0]}, {recorded[1]} and {recorded[2]}")
    found = _table_hash(entities, relations)
    if found != manifest["content_hash"]:
        raise UnreadableFile(where, f"its records hash to {found[:16]}…, not to the recorded "
                                    f"content hash {manifest['content_hash'][:16]}…")
    return Bundle(where, manifest, entities, relations, scores)


def _read_manifest(archive: zipfile.ZipFile, where: str) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise UnreadableFile(where, f"not an innograph backup (no {MANIFEST})") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise UnreadableFile(where, f"{MANIFEST} declares {info.file_size} bytes; a manifest "
                                    f"is under {MAX_MANIFEST_BYTES}")
    with archive.open(info) as handle:
        raw = handle.read(MAX_MANIFEST_BYTES + 1)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except ValueError as e:
        raise UnreadableFile(where, f"{MANIFEST} is not JSON ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise UnreadableFile(where, f"not an innograph backup ({MANIFEST} names no "
                                    f"{FORMAT!r} format)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise UnreadableFile(where, f"format version {version!r} is not a version")
    if version > FORMAT_VERSION:
        raise UnreadableFile(where, f"written by a newer innograph (backup format {version}; "
                                    f"this one reads up to {FORMAT_VERSION}); restore it "
                                    "with that version")
    members = manifest.get("members")
    if not isinstance(members, dict) or sorted(members) != sorted(DATA_MEMBERS) or not all(
            isinstance(m, dict) and _is_count(m.get("bytes")) and isinstance(m.get("sha256"), str)
            for m in members.values()):
        raise UnreadableFile(where, f"{MANIFEST} does not list the members "
                                    f"{', '.join(DATA_MEMBERS)} with their sizes and digests")
    if not (all(_is_count(manifest.get(k)) for k in ("entities", "relations", "scores"))
            and isinstance(manifest.get("content_hash"), str)):
        raise UnreadableFile(where, f"{MANIFEST} lacks the counts or the content hash")
    return manifest


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any], where: str,
                   max_bytes: int) -> dict[str, zipfile.ZipInfo]:
    names = archive.namelist()
    expected = sorted([MANIFEST, *DATA_MEMBERS])
    if sorted(names) != expected:
        raise UnreadableFile(where, f"holds {', '.join(sorted(names))}; a backup holds exactly "
                                    f"{', '.join(expected)}")
    infos = {name: archive.getinfo(name) for name in DATA_MEMBERS}
    for name, info in infos.items():
        recorded = manifest["members"][name]["bytes"]
        if info.file_size != recorded:
            raise UnreadableFile(where, f"{name} declares {info.file_size} bytes, its manifest "
                                        f"records {recorded}")
    total = sum(info.file_size for info in infos.values())
    if total > max_bytes:
        raise UnreadableFile(where, f"holds {total} bytes uncompressed, more than the "
                                    f"{max_bytes} a restore reads")
    return infos


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, recorded: dict[str, Any],
                 where: str) -> bytes:
    # zipfile stops at the declared size and checks the CRC at the end
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise UnreadableFile(where, f"{info.filename} holds {len(data)} bytes, not the "
                                    f"{info.file_size} declared")
    if hashlib.sha256(data).hexdigest() != recorded["sha256"]:
        raise UnreadableFile(where, f"{info.filename} is damaged (its SHA-256 differs from "
                                    "the manifest's)")
    return data


def _read_table(data: bytes, schema: pa.Schema, name: str, where: str) -> pa.Table:
    try:
        table = pa.ipc.open_file(pa.py_buffer(data)).read_all()
    except (pa.ArrowException, OSError) as e:
        raise UnreadableFile(where, f"{name} is not an Arrow table ({_first_line(e)})") from e
    if not table.schema.equals(schema):
        raise UnreadableFile(where, f"{name} has the columns {', '.join(table.schema.names)}, "
                                    f"not the {', '.join(schema.names)} this version stores")
    return table


def _read_scores(data: bytes, where: str) -> dict[str, dict[str, float]]:
    try:
        scores = json.loads(data.decode("utf-8"))
        if not isinstance(scores, dict) or not all(isinstance(v, dict) for v in scores.values()):
            raise ValueError("not an object of objects")
        check_scores(scores)
    except (ValueError, InvalidInput) as e:
        raise UnreadableFile(where, f"{SCORES} is not a set of scores ({e})") from e
    return scores


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# -- restore -----------------------------------------------------------------------------
def restore(bundle: Bundle, destination: GraphStore) -> RestoreReport:
    """Load ``bundle`` (see :func:`read_bundle`) into the empty store ``destination`` and
    verify that it then has the bundle's content hash.

    A non-empty destination is refused, and left as it was.
    """
    started = time.perf_counter()
    held = destination.counts()
    if held.entities or held.relations:
        raise InvalidInput("--to", f"{destination.location} already holds {held.entities} "
                                   "entities; restore loads into an empty store (a new "
                                   "folder, or an emptied database)")
    destination.upsert_tables(bundle.entities, bundle.relations)
    if bundle.scores:
        destination.write_scores(bundle.scores)
    destination.checkpoint()
    got = destination.stats().content_hash
    if got != bundle.content_hash:
        raise IntegrityError(f"restore into {destination.location} does not verify: its content "
                             f"hash {got} differs from the backup's {bundle.content_hash}")
    manifest = bundle.manifest
    return RestoreReport(bundle.path, destination.location, bundle.entities.num_rows,
                         bundle.relations.num_rows, len(bundle.scores), got,
                         int(manifest["format_version"]), str(manifest.get("taken", "")),
                         time.perf_counter() - started)
