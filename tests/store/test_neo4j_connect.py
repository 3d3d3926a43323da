"""Unreachable servers and bad URIs give one line naming the URI and the remedy, never the
password. These run against real sockets and the real driver (no server needed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest
from pydantic import SecretStr

from graph.store import open_store
from graph.store.neo4j_connect import translate_errors
from graph.store.neo4j_options import Neo4jOptions
from schema import IntegrityError, StoreError, StoreUnavailable

SECRET = "hunter2-very-secret"
OPTIONS = Neo4jOptions(password=SecretStr(SECRET), connect_timeout=2)


@pytest.fixture(scope="module")
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def refused(uri: str) -> str:
    with pytest.raises(StoreUnavailable) as caught:
        open_store(uri, neo4j=OPTIONS)
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message
    return message


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_connection_refused_names_the_uri_and_what_to_do(scheme: str, closed_port: int) -> None:
    message = refused(f"{scheme}://127.0.0.1:{closed_port}")
    assert message.startswith(f"store {scheme}://127.0.0.1:{closed_port} is unavailable")
    assert "docker compose up -d neo4j" in message


def test_refused_connection_reports_the_reason(closed_port: int) -> None:
    assert "Connection refused" in refused(f"bolt://127.0.0.1:{closed_port}")


def test_a_port_that_is_not_a_number_is_a_bad_address() -> None:
    assert "not a usable Neo4j address" in refused("bolt://127.0.0.1:notaport")


def test_credentials_in_the_uri_are_refused_without_echoing_them(closed_port: int) -> None:
    message = refused(f"bolt://neo4j:{SECRET}@127.0.0.1:{closed_port}")
    assert f"bolt://127.0.0.1:{closed_port}" in message
    assert "INNOGRAPH_NEO4J_PASSWORD" in message


def test_other_schemes_are_not_neo4j() -> None:
    from graph.store.neo4j import Neo4jStore

    with pytest.raises(StoreUnavailable, match="not a Neo4j URI"):
        Neo4jStore("http://127.0.0.1:7474", OPTIONS)


def test_a_server_lost_mid_write_says_rerun_to_complete(closed_port: int) -> None:
    # a driver whose server has gone: the managed write gives up after its retry window
    driver = neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{closed_port}",
                                        auth=("neo4j", SECRET), max_transaction_retry_time=0.2)
    try:
        with pytest.raises(StoreUnavailable) as caught, \
                translate_errors(f"bolt://127.0.0.1:{closed_port}", OPTIONS, writing=True), \
                driver.session() as session:
            session.execute_write(lambda tx: tx.run("RETURN 1").consume())
    finally:
        driver.close()
    message = str(caught.value)
    assert "rerun the same command" in message and "idempotent" in message
    assert SECRET not in message and "\n" not in message


def server_failure(code: str, message: str) -> Exception:
    """The exception the driver raises when the server answers FAILURE with this code."""
    error: Exception = neo4j.exceptions.Neo4jError._hydrate_neo4j(code=code, message=message)
    return error


@pytest.mark.parametrize(("code", "expected", "kind"), [
    ("Neo.ClientError.Security.Unauthorized", "authentication failed for user 'neo4j': check "
     "INNOGRAPH_NEO4J_USER and INNOGRAPH_NEO4J_PASSWORD", StoreUnavailable),
    ("Neo.ClientError.Database.DatabaseNotFound", "database 'graph' does not exist: check "
     "INNOGRAPH_NEO4J_DATABASE", StoreUnavailable),
    ("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
     "ran longer than the read timeout (30 s, INNOGRAPH_NEO4J_READ_TIMEOUT)", StoreError),
    ("Neo.ClientError.Schema.ConstraintValidationFailed", "already exists", IntegrityError),
    ("Neo.ClientError.Security.Forbidden", "user 'neo4j' may not do this", StoreError),
])
def test_server_answers_become_one_line_with_the_remedy(code: str, expected: str,
                                                        kind: type[Exception]) -> None:
    options = Neo4jOptions(password=SecretStr(SECRET), database="graph")
    with pytest.raises(kind) as caught, translate_errors("bolt://db:7687", options):
        raise server_failure(code, f"Node(1) already exists with label `Entity` ({SECRET})")
    message = str(caught.value)
    assert expected in message and "bolt://db:7687" in message
    assert SECRET not in message and "\n" not in message


def innograph(*args: str, store: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INNOGRAPH_NEO4J_PASSWORD": SECRET,
           "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")}
    return subprocess.run([sys.executable, "-m", "innograph", "--store", store, *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_prints_one_line_and_exits_3(closed_port: int, tmp_path: Path) -> None:
    result = innograph("init-db", store=f"bolt://127.0.0.1:{closed_port}", tmp_path=tmp_path)
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and SECRET not in result.stderr + result.stdout
    assert result.stderr.startswith(f"error: store bolt://127.0.0.1:{closed_port} is "
                                    "unavailable")


def test_init_db_prepares_an_embedded_store_too(tmp_path: Path) -> None:
    # (it used to refuse; an embedded store now has a schema to create or upgrade)
    result = innograph("init-db", store=str(tmp_path / "store"), tmp_path=tmp_path)
    assert result.returncode == 0 and "schema ready" in " ".join(result.stdout.split())
