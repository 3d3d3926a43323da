"""The app (with the viewer and /viz routes) served by uvicorn on a loopback port in a
thread, over a store holding the Wenzhou sample plus entities whose names carry markup."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from api.app import create_app
from graph.settings import Settings
from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema import Entity, EntityType, Relation, RelationType, entity_id, relation_id
from tests.conftest import SAMPLE

HUB = "park:中国眼谷"
# names a careless page would turn into markup, in Chinese context
HOSTILE_NAMES = ("眼谷<img src=x onerror=alert(1)>研究院", "眼谷<script>alert(2)</script>团队")


def hostile_entities() -> tuple[list[Entity], list[Relation]]:
    """Two institutes with markup in their names, each a partner of the 中国眼谷 park."""
    entities = [Entity(entity_id(EntityType.institute, n), EntityType.institute, n, name_raw=n,
                       aliases=(n + "别名",), props={"level": "<b>省级</b>"},
                       provenance={"doc": "<i>test</i>"}) for n in HOSTILE_NAMES]
    relations = [Relation(relation_id(e.id, RelationType.partnership, HUB),
                          RelationType.partnership, e.id, HUB, props={"kind": "共建"})
                 for e in entities]
    return entities, relations


def sample_with_hostile_names(path: Path) -> GraphStore:
    """A store at ``path``: the Wenzhou sample and :func:`hostile_entities`."""
    store = open_store(path)
    summary = load_paths(store, [SAMPLE])
    assert summary.rejected == 0
    entities, relations = hostile_entities()
    store.upsert(entities, relations)
    return store


def app_with_viewer(store: GraphStore, settings: Settings) -> FastAPI:
    """The API over ``store``, which serves the viewer at ``/`` and the ``/viz`` pages."""
    return create_app(settings, store=store)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served on a free loopback port until the block ends; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serving_with_reference(store: GraphStore, root: Path) -> Iterator[str]:
    """``store`` plus two universities of a national reference list (北京大学, and 清华大学
    with 光学工程), served with the viewer; the store is closed afterwards."""
    (root / "名录.csv").write_text("学校名称,所在地,双一流建设学科\n北京大学,北京市,\n"
                                 "清华大学,北京市,光学工程；机械工程\n", encoding="utf-8")
    load_paths(store, [root / "名录.csv"], origin="reference")
    app = app_with_viewer(store, Settings(store=store.location,  # type: ignore[arg-type]
                                          rejects_dir=root / "rejects"))
    try:
        with serving(app) as url:
            yield url
    finally:
        store.close()

