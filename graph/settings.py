"""All configuration, from ``INNOGRAPH_*`` environment variables or arguments.

Nothing here runs at import time: call :func:`get_settings`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, get_origin

from platformdirs import user_data_path
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from graph.store.neo4j_options import Neo4jOptions

# Below the store, the API and the CLI, which all read it (layers: docs/development.md).
PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENV_PREFIX = "INNOGRAPH_"
# fields given as JSON in the environment, as pydantic-settings reads them
_JSON_SHAPES = (list, dict, set, tuple)


def default_store() -> str:
    return str(user_data_path("innograph") / "store")


def default_rejects_dir() -> Path:
    return user_data_path("innograph") / "rejects"


def environment_values(fields: dict[str, Any], environ: dict[str, str] | None = None,
                       ) -> dict[str, object]:
    """``INNOGRAPH_<FIELD>`` variables (any case) for ``fields``; list fields as JSON.

    >>> environment_values({"port": None}, {"innograph_port": "9000", "OTHER": "1"})
    {'port': '9000'}
    """
    by_upper = {key.upper(): value for key, value in (environ or os.environ).items()}
    found: dict[str, object] = {}
    for name, field in fields.items():
        variable = ENV_PREFIX + name.upper()
        if variable not in by_upper:
            continue
        value: object = by_upper[variable]
        if field is not None and get_origin(field.annotation) in _JSON_SHAPES:
            try:
                value = json.loads(by_upper[variable])
            except ValueError as error:
                raise ValueError(f"{variable} must be JSON, e.g. [\"a\", \"b\"]: {error}") from None
        found[name] = value
    return found


class Settings(BaseModel):
    """innograph's settings; each field can be set as ``INNOGRAPH_<FIELD>``.

    Read as pydantic-settings would (prefix, any case, list fields as JSON, arguments win),
    with plain pydantic: pydantic-settings cost every CLI command ≈ 0.1 s of CPU to import.
    """

    model_config = ConfigDict(extra="ignore")

    store: str = Field(default_factory=default_store,
                       description="folder of the embedded store, or a bolt:// / neo4j:// URI")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_key: SecretStr | None = Field(None, description="key for write endpoints (X-API-Key)")
    cors_origins: list[str] = Field(default_factory=list)
    buffer_pool_mb: int = Field(1024, ge=64, le=65536,
                                description="memory the embedded store may cache, in MiB")
    rejects_dir: Path = Field(default_factory=default_rejects_dir)
    read_timeout_ms: int = Field(10_000, ge=100, le=600_000,
                                 description="how long one read query may run in the API")
    max_upload_mb: int = Field(50, ge=1, le=2048, description="largest file POST /ingest takes")
    access_log_flush_s: float = Field(
        0.5, ge=0, le=10, description="`innograph serve` writes its access lines in batches at "
        "most this many seconds apart (0: each line as it comes); a killed server loses at "
        "most that much of its access log")
    # limits every table reader checks before it reads (ingest.shapes.grid.limits_from)
    max_file_mb: int = Field(200, ge=1, le=65536, description="largest table file, MiB")
    max_decompressed_mb: int = Field(1024, ge=1, le=65536,
                                     description="largest unpacked XLSX/ODS, MiB")
    max_rows: int = Field(2_000_000, ge=1, le=100_000_000, description="rows per sheet")
    max_field_chars: int = Field(10_000, ge=100, le=10_000_000,
                                 description="characters in one cell")
    review_db: Path | None = Field(None, description="review-queue database (default: beside "
                                                     "an embedded store; needed for Neo4j)")
    sample_dir: Path = PROJECT_ROOT / "data" / "wenzhou"
    save_indexes_from: int | None = Field(
        None, ge=0, le=1_000_000_000,
        description="a load (`innograph ingest`) into an embedded store of at least this many "
                    "entities ends by saving the server's indexes beside it, in a process of "
                    "its own, so that the first `innograph serve` maps them (off by default: "
                    "at 1M entities the build takes 5 GiB, more than the load)")
    # documents: the statistical second reader and auto-accepting what it is sure of
    warm_partners: bool = Field(False, description="build the partner recommender when the "
                                "server starts, in the background: the first recommendation "
                                "then does not wait for the projection")
    second_reader: bool = Field(False, description="documents are read by the rules and the "
                                                   "LAC model (ingest.documents.second_reading)")
    auto_accept: float | None = Field(None, ge=0.5, le=1.0,
                                      description="accept new organisations read from "
                                                  "documents at this calibrated confidence "
                                                  "or above (needs second_reader)")
    # Neo4j, used when ``store`` is a bolt:// / neo4j:// / neo4j+s:// URI
    neo4j_user: str = Field("neo4j", min_length=1, description="Neo4j user")
    neo4j_password: SecretStr | None = Field(None, description="Neo4j password (never shown)")
    neo4j_database: str | None = Field(None, description="Neo4j database (server default)")
    neo4j_read_timeout: float = Field(30.0, gt=0, le=3600,
                                      description="seconds a Neo4j read may run")
    neo4j_batch_size: int = Field(5000, ge=1, le=100_000,
                                  description="rows per Neo4j UNWIND write batch")

    @model_validator(mode="before")
    @classmethod
    def _environment_fills_the_rest(cls, given: object) -> object:
        if not isinstance(given, dict):
            return given
        return {**environment_values(cls.model_fields), **given}

    @field_validator("api_key", mode="before")
    @classmethod
    def _blank_key_is_no_key(cls, value: object) -> object:
        # INNOGRAPH_API_KEY= (empty) must disable writes, not accept an empty header
        return None if isinstance(value, str) and not value.strip() else value

    def neo4j_options(self) -> Neo4jOptions:
        """What the Neo4j backend needs from these settings."""
        return Neo4jOptions(user=self.neo4j_user, password=self.neo4j_password,
                            database=self.neo4j_database or None,
                            read_timeout=self.neo4j_read_timeout,
                            batch_size=self.neo4j_batch_size)


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (``None`` values ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
