"""Writes, all behind ``X-API-Key``: file upload (``POST /ingest``), entity and relation
writes, deletes. Uploads and JSON bodies go through the same loader as `innograph ingest`,
so they are validated, reported and written exactly alike (all or nothing, with rejects)."""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, File, Query, UploadFile
from fastapi import Path as PathParam

from api.deps import SettingsDep, StoreDep
from api.models import DeletedOut, EntityIn, IngestOut, LoadOut, RelationIn
from api.params import PathId
from api.security import require_api_key
from graph.settings import Settings
from graph.store.base import GraphStore
from ingest.documents.candidates import build_candidates
from ingest.documents.extract import extract_path
from ingest.documents.pipeline import gazetteer_for, ingest_documents, review_queue_path
from ingest.documents.readers import DOCUMENT_SUFFIXES
from ingest.load_options import LoadOptions
from ingest.loader import LOADABLE, LoadSummary, load_paths, new_run_id
from ingest.shapes.limits import limits_from
from ingest.shapes.profile import Profile, load_profile
from schema import EntityType, InvalidInput, RelationType, StoreError, UnreadableFile, ids

# the key is checked before anything else (even before the store is opened)
router = APIRouter(tags=["writes"], dependencies=[Depends(require_api_key)])

MAX_FILES = 20
MAX_ROWS_IN_BODY = 10_000
PREVIEW_CANDIDATES = 20  # a document's first candidates shown by a dry run
_UNSAFE = re.compile(r"[^\w.\-\u3400-\u9fff]")
_CHUNK = 1 << 20


def _writable(store: GraphStore) -> GraphStore:
    if store.read_only:
        raise StoreError(f"store {store.location} is open read-only on this server")
    return store


def _safe_name(upload: UploadFile, index: int) -> str:
    """The upload's own file name (it may name a type: enterprise.csv), made path-safe."""
    name = Path(upload.filename or "").name
    suffix = Path(name).suffix.lower()
    accepted = (*LOADABLE, *sorted(DOCUMENT_SUFFIXES))
    if suffix not in accepted:
        raise InvalidInput(f"files[{index}]", f"{name or 'unnamed file'}: not a table or "
                           f"document ({', '.join(accepted)})")
    stem = _UNSAFE.sub("_", Path(name).stem)[:80] or "upload"
    return f"{stem}{suffix}"


def _save(upload: UploadFile, target: Path, limit_bytes: int, index: int) -> None:
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > limit_bytes:
                raise InvalidInput(f"files[{index}]", f"{upload.filename}: larger than the "
                                   f"{limit_bytes // (1 << 20)} MiB upload limit")
            out.write(chunk)


def _load(store: GraphStore, settings: Settings, paths: list[Path],
          shown: dict[str, str], *, complete: bool = True, origin: str | None = None,
          options: LoadOptions | None = None) -> LoadOut:
    """Load ``paths`` and report them under the names the client used (``shown``), which
    are also their sources' names (never the server's temporary paths)."""
    run_id = new_run_id()
    chosen = options or LoadOptions()
    if not chosen.dry_run:
        chosen = replace(chosen, review_queue=_queue(store, settings))
    with _named(shown):
        summary: LoadSummary = load_paths(_writable(store), paths, run_id=run_id,
                                          rejects_path=settings.rejects_dir / f"{run_id}.csv",
                                          complete_sources=complete, source_names=shown,
                                          origin=origin, options=chosen)
    if summary.rows_read and summary.rejected == summary.rows_read:
        raise InvalidInput("files", f"all {summary.rows_read} rows were rejected; nothing was "
                           f"loaded (first: {summary.rejects[0].file} row "
                           f"{summary.rejects[0].row}, {summary.rejects[0].column}: "
                           f"{summary.rejects[0].reason})")
    body = summary.to_json(max_rejects=500)
    body["files"] = [shown.get(f, f) for f in body["files"]]
    for reject in body["rejects"]:
        reject["file"] = shown.get(reject["file"], reject["file"])
    return LoadOut(**{k: v for k, v in body.items() if k in LoadOut.model_fields})


@router.post("/ingest", response_model=IngestOut, summary="上传表格或文档并载入（表格直接入图，文档进入审核队列）")
def ingest(store: StoreDep, settings: SettingsDep,
           files: Annotated[list[UploadFile], File(min_length=1, max_length=MAX_FILES,
                                                   description="government lists, registry "
                                                   "and patent exports (XLSX / XLS / CSV), "
                                                   "JSON / JSONL, or TXT / MD / DOCX documents")],
           dry_run: Annotated[bool, Query(description=(
               "试运行: report the detected shape, header row, column mapping, type and "
               "counts of tables, and what documents would queue for review; write "
               "nothing"))] = False,
           replace: Annotated[bool, Query(description=(
               "替换: this upload is the whole of its source (its file name): what an earlier "
               "upload of that name stated and this one no longer states is withdrawn. "
               "Without it an upload only adds and updates (two offices' 名单.xlsx never "
               "erase each other)"))] = False,
           entity_type: Annotated[EntityType | None, Query(
               alias="type",
               description="entity type of a list's rows (overrides detection)")] = None,
           profile: Annotated[UploadFile | None, File(description=(
               "mapping profile (YAML) overriding detection, as `innograph ingest --profile`"
               ))] = None,
           second_reader: Annotated[bool | None, Query(description=(
               "第二读者: documents are read by the rules and the LAC model, and each new "
               "organisation gets a calibrated confidence (default: the server's "
               "INNOGRAPH_SECOND_READER)"))] = None,
           auto_accept: Annotated[float | None, Query(ge=0.5, le=1.0, description=(
               "自动接受: with the second reader, accept new organisations whose calibrated "
               "confidence is at least this (default: the server's INNOGRAPH_AUTO_ACCEPT, "
               "else none)"))] = None,
           ) -> IngestOut:
    if not files or len(files) > MAX_FILES:
        raise InvalidInput("files", f"send 1 to {MAX_FILES} files, got {len(files)}")
    with tempfile.TemporaryDirectory(prefix="innograph-upload-") as folder:
        tables: list[Path] = []
        documents: list[Path] = []
        shown: dict[str, str] = {}
        for index, upload in enumerate(files):
            target = Path(folder) / f"{index:02d}" / _safe_name(upload, index)
            target.parent.mkdir()
            _save(upload, target, settings.max_upload_mb << 20, index)
            shown[str(target)] = upload.filename or target.name
            (documents if target.suffix.lower() in DOCUMENT_SUFFIXES else tables).append(target)
        result = IngestOut()
        options = LoadOptions(entity_type=entity_type.value if entity_type else None,
                              profile=_profile(profile, Path(folder), settings),
                              limits=limits_from(settings), dry_run=dry_run)
        if tables:
            result.tables = _load(store, settings, tables, shown, options=options,
                                  complete=replace)
        if documents:
            reader = settings.second_reader if second_reader is None else second_reader
            with _named(shown):
                result.documents = (
                    preview_documents(store, documents, second_reader=reader) if dry_run else
                    ingest_documents(
                        _writable(store), documents, queue_path=settings.review_db,
                        second_reader=reader,
                        auto_accept=auto_accept if auto_accept is not None else settings.auto_accept,
                    ).to_json())
    return result


@contextmanager
def _named(shown: dict[str, str]) -> Iterator[None]:
    """An unreadable file named as the client knows it, not by our temporary path."""
    try:
        yield
    except UnreadableFile as e:
        where = next((name + e.path[len(path):] for path, name in shown.items()
                      if e.path.startswith(path)), "file")
        raise InvalidInput(where, e.reason.replace(e.path, where)) from e


def preview_documents(store: GraphStore, paths: list[Path], *, second_reader: bool = False,
                      ) -> dict[str, Any]:
    """试运行 of documents: what each would put in the review queue, without queueing it."""
    gazetteer = gazetteer_for(store)
    second = None
    if second_reader:
        from ingest.documents.second_reading import second_reader as shipped  # the model: on demand

        second = shipped()
    found = []
    for path in paths:
        extraction = extract_path(path, gazetteer, second)
        candidates = build_candidates(extraction)
        found.append({
            "doc": extraction.document.doc_id, "characters": len(extraction.document.original),
            "mentions": len(extraction.mentions), "relations": len(extraction.relations),
            "entity_candidates": sum(c.kind == "entity" for c in candidates),
            "relation_candidates": sum(c.kind == "relation" for c in candidates),
            "first": [{"kind": c.kind, "section": c.section, "evidence": c.evidence,
                       "data": c.data} for c in candidates[:PREVIEW_CANDIDATES]]})
    return {"dry_run": True, "documents": found}


def _queue(store: GraphStore, settings: Settings) -> Path | None:
    """Where likely matches go for review (none for a Neo4j store without a queue file)."""
    try:
        return review_queue_path(store.location, settings.review_db)
    except InvalidInput:
        return None


def _profile(upload: UploadFile | None, folder: Path, settings: Settings) -> Profile | None:
    if upload is None:
        return None
    target = folder / "profile.yaml"
    _save(upload, target, 1 << 20, 0)
    try:
        return load_profile(target)
    except InvalidInput as e:
        raise InvalidInput("profile", e.reason) from e


def _load_rows(store: GraphStore, settings: Settings, rows: list[dict[str, Any]],
               name: str) -> LoadOut:
    with tempfile.TemporaryDirectory(prefix="innograph-body-") as folder:
        path = Path(folder) / name
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        # every API write is one source, "api", that each write adds to (never withdraws)
        return _load(store, settings, [path], {str(path): "api"}, complete=False,
                     origin="api")


def _rows(items: list[EntityIn] | list[RelationIn]) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        row = item.model_dump(mode="json", exclude_none=True)
        if isinstance(row.get("aliases"), list):
            row["aliases"] = "|".join(str(a) for a in row["aliases"])
        rows.append(row)
    return rows


@router.post("/entities", response_model=LoadOut, summary="写入或更新实体（与表格载入同样校验）")
def write_entities(store: StoreDep, settings: SettingsDep,
                   rows: Annotated[list[EntityIn], Body(
                       min_length=1, max_length=MAX_ROWS_IN_BODY, examples=[[{
                           "name": "温州眼镜产业创新服务综合体", "type": "platform",
                           "aliases": "眼镜综合体", "level": "省级"}]])]) -> LoadOut:
    return _load_rows(store, settings, _rows(rows), "entities.json")


@router.post("/relations", response_model=LoadOut, summary="写入或更新关系（端点用 id、名称或别名）")
def write_relations(store: StoreDep, settings: SettingsDep,
                    rows: Annotated[list[RelationIn], Body(
                        min_length=1, max_length=MAX_ROWS_IN_BODY, examples=[[{
                            "source": "华联机械", "target": "浙江大学温州研究院",
                            "relation": "partnership", "kind": "技术合作", "year": 2022}]])]
                    ) -> LoadOut:
    return _load_rows(store, settings, _rows(rows), "relations.json")


# the entity the POST /entities example writes
EntityId = Annotated[PathId, PathParam(description="实体 id",
                                       examples=["platform:温州眼镜产业创新服务综合体"])]
# the relation the POST /relations example writes
_RELATION_EXAMPLE = ids.relation_id("enterprise:华联机械", RelationType.partnership,
                                    "institute:浙江大学温州研究院")
RelationId = Annotated[PathId, PathParam(description="关系 id", examples=[_RELATION_EXAMPLE])]


@router.delete("/entities/{entity_id:path}", response_model=DeletedOut, summary="删除实体及其关系")
def delete_entity(store: StoreDep, entity_id: EntityId) -> DeletedOut:
    return DeletedOut(deleted=_writable(store).delete_entities([entity_id]))


@router.delete("/relations/{relation_id}", response_model=DeletedOut, summary="删除关系")
def delete_relation(store: StoreDep, relation_id: RelationId) -> DeletedOut:
    return DeletedOut(deleted=_writable(store).delete_relations([relation_id]))
