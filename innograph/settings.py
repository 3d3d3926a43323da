"""All configuration, from ``INNOGRAPH_*`` environment variables or arguments.

Nothing here runs at import time: call :func:`get_settings`.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def default_store() -> str:
    return str(user_data_path("innograph") / "store")


def default_rejects_dir() -> Path:
    return user_data_path("innograph") / "rejects"


class Settings(BaseSettings):
    """innograph's settings; each field can be set as ``INNOGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="INNOGRAPH_", extra="ignore")

    store: str = Field(default_factory=default_store,
                       description="folder of the embedded store, or a bolt:// / neo4j:// URI")
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    api_key: SecretStr | None = Field(None, description="key for write endpoints (X-API-Key)")
    cors_origins: list[str] = Field(default_factory=list)
    buffer_pool_mb: int = Field(1024, ge=64, le=65536,
                                description="memory the embedded store may cache, in MiB")
    rejects_dir: Path = Field(default_factory=default_rejects_dir)
    sample_dir: Path = PROJECT_ROOT / "data" / "wenzhou"


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (``None`` values ignored)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
