"""docker-compose.yml, .env.example and the Dockerfile agree with the app's settings.

No Docker engine runs here, so the compose file is read with PyYAML and its variables are
interpolated the way compose does, from .env.example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from graph.settings import Settings
from graph.store import is_neo4j_uri

ROOT = Path(__file__).resolve().parents[1]
VARIABLE = re.compile(r"(?<!\$)\$\{(\w+)(?::?([-?])([^}]*))?\}")
#: Neo4j settings the image takes as NEO4J_<name, dots as _, underscores doubled>
NEO4J_CONFIG = {"server.memory.heap.initial_size", "server.memory.heap.max_size",
                "server.memory.pagecache.size", "db.memory.transaction.total.max"}


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        if env.get(name):
            return env[name]
        if kind == "?":
            raise KeyError(f"{name}: {rest}")
        return rest or ""

    return VARIABLE.sub(substitute, text)


@pytest.fixture(scope="module")
def raw() -> str:
    return (ROOT / "docker-compose.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(raw: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(interpolate(raw, env_example()))
    return loaded


def test_every_variable_is_in_env_example_and_every_entry_is_used(raw: str) -> None:
    used = {match.group(1) for match in VARIABLE.finditer(raw)}
    assert used and used <= set(env_example()), used - set(env_example())
    assert set(env_example()) <= used, set(env_example()) - used


def test_secrets_are_required_not_defaulted(raw: str) -> None:
    for secret in ("NEO4J_PASSWORD", "INNOGRAPH_API_KEY"):
        with pytest.raises(KeyError, match=secret):
            interpolate(raw, {k: v for k, v in env_example().items() if k != secret})
    assert "NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?" in raw


def test_neo4j_is_community_5_with_a_pinned_minor(compose: dict[str, Any]) -> None:
    assert re.fullmatch(r"neo4j:5\.\d+(\.\d+)?-community", compose["services"]["neo4j"]["image"])


def test_neo4j_settings_are_known_configuration(compose: dict[str, Any]) -> None:
    environment = compose["services"]["neo4j"]["environment"]
    for name in environment:
        if name == "NEO4J_AUTH":
            continue
        setting = name.removeprefix("NEO4J_").replace("__", "\0").replace("_", ".") \
            .replace("\0", "_")
        assert setting in NEO4J_CONFIG, name
    assert environment["NEO4J_AUTH"] == f"neo4j/{env_example()['NEO4J_PASSWORD']}"


def test_both_services_have_health_checks(compose: dict[str, Any]) -> None:
    neo4j, api = compose["services"]["neo4j"], compose["services"]["api"]
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert "NEO4J_AUTH" in " ".join(neo4j["healthcheck"]["test"])  # read in the container
    assert "/health" in " ".join(api["healthcheck"]["test"])
    for service in (neo4j, api):
        assert {"interval", "timeout", "retries"} <= set(service["healthcheck"])


def test_api_waits_for_a_healthy_neo4j(compose: dict[str, Any]) -> None:
    assert compose["services"]["api"]["depends_on"] == {
        "neo4j": {"condition": "service_healthy"}}


def test_data_lives_in_named_volumes(compose: dict[str, Any]) -> None:
    for mount in compose["services"]["neo4j"]["volumes"]:
        volume, _, target = mount.partition(":")
        assert volume in compose["volumes"] and target in {"/data", "/logs"}
    [api_mount] = compose["services"]["api"]["volumes"]
    volume, _, target = api_mount.partition(":")
    assert volume in compose["volumes"]
    environment = compose["services"]["api"]["environment"]
    for kept in ("INNOGRAPH_REVIEW_DB", "INNOGRAPH_REJECTS_DIR"):  # survive a new container
        assert Path(environment[kept]).is_relative_to(target), kept
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert f"install -d -o innograph -g innograph {target}" in dockerfile  # writable volume


def container_port(mapping: str) -> int:
    return int(mapping.rsplit(":", 1)[1])


def test_api_environment_is_valid_settings_pointing_at_neo4j(
        compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    environment = compose["services"]["api"]["environment"]
    for name, value in environment.items():
        assert name.startswith("INNOGRAPH_"), name
        assert name.removeprefix("INNOGRAPH_").lower() in Settings.model_fields, name
        monkeypatch.setenv(name, str(value))
    settings = Settings()
    assert is_neo4j_uri(settings.store)
    uri = urlsplit(settings.store)
    assert uri.hostname in compose["services"] and uri.hostname == "neo4j"
    assert uri.port in {container_port(p) for p in compose["services"]["neo4j"]["ports"]}
    options = settings.neo4j_options()
    assert options.password is not None
    assert options.password.get_secret_value() == env_example()["NEO4J_PASSWORD"]
    assert env_example()["NEO4J_PASSWORD"] not in repr(settings)
    assert settings.host == "0.0.0.0"
    assert [container_port(p) for p in compose["services"]["api"]["ports"]] == [settings.port]


def test_dockerfile_serves_on_the_port_compose_maps() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^EXPOSE 8000$", dockerfile, re.MULTILINE)
    assert 'CMD ["innograph", "serve"]' in dockerfile
    assert "USER innograph" in dockerfile  # not root
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", ".env"} <= set(ignored)


def test_the_image_installs_what_pyproject_declares() -> None:
    import tomllib

    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    # the default extra exists (pip only warns about an unknown one, and installs without it)
    [extras] = re.findall(r"^ARG EXTRAS=(\S+)$", dockerfile, re.MULTILINE)
    assert set(extras.split(",")) <= set(project["optional-dependencies"])
    assert 'pip install ".${EXTRAS:+[$EXTRAS]}"' in dockerfile
    # the base image's Python satisfies requires-python
    [version] = re.findall(r"^FROM python:(3\.\d+)-slim", dockerfile, re.MULTILINE)
    low, high = re.fullmatch(r">=(3\.\d+),<(3\.\d+)", project["requires-python"]).groups()
    as_tuple = [tuple(int(p) for p in v.split(".")) for v in (low, version, high)]
    assert as_tuple[0] <= as_tuple[1] < as_tuple[2]
    # what `pip install .` and the sample need is not kept out of the build context
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
    packages = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    needed = {"pyproject.toml", project["readme"], "data"} | {
        p.removesuffix("*") for p in packages}
    assert not needed & ignored, needed & ignored
    [sample] = re.findall(r"INNOGRAPH_SAMPLE_DIR=(\S+)", dockerfile)
    assert sample.startswith("/app/") and (ROOT / sample.removeprefix("/app/")).is_dir()
