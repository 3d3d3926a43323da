"""Every Cypher statement of the Neo4j backend passes Neo4j's own parser and semantic
analysis (Cypher 5 and Cypher 25), without a server.

So do the queries of the Cypher cookbook in the documentation.

Neo4j's query front end ships, compiled to JavaScript, in the npm package
``@neo4j-cypher/language-support``. Install it once and point ``CYPHER_LINT_DIR`` at it::

    mkdir -p ~/cypher-lint && cd ~/cypher-lint && npm init -y
    npm install @neo4j-cypher/language-support@2.0.0-next.38
    CYPHER_LINT_DIR=~/cypher-lint .venv/bin/pytest tests/store/test_neo4j_cypher_lint.py

Skipped (with that reason) where Node.js or the package is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.store.test_neo4j_queries import all_query_texts

ROOT = Path(__file__).resolve().parents[2]

_LINT = """
const ls = require('@neo4j-cypher/language-support');
const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = queries.map(([name, text]) => [name, text, ls.lintCypherQuery(text, {}).diagnostics
  .filter(d => !/^Parameter \\$\\w+ is not defined/.test(d.message))
  .map(d => `[${d.severity === 1 ? 'error' : 'warning'}] ${d.message}`)]);
process.stdout.write(JSON.stringify(out));
"""


def lint_dir() -> Path:
    folder = Path(os.environ.get("CYPHER_LINT_DIR", "")).expanduser()
    if not os.environ.get("CYPHER_LINT_DIR") or not shutil.which("node") or not (
            folder / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("set CYPHER_LINT_DIR to a folder with @neo4j-cypher/language-support "
                    "installed (npm) and have node on PATH; see this module's docstring")
    return folder


def cookbook_documents() -> list[Path]:
    """Where Cypher for Browser users is written: the README and the cookbook under docs/."""
    return [ROOT / "README.md", ROOT / "docs" / "neo4j-cookbook.md"]


@pytest.mark.parametrize("version", ["", "CYPHER 25 "])
def test_every_statement_passes_neo4j_semantic_analysis(version: str) -> None:
    folder = lint_dir()
    queries = [(name, version + text) for name, text in all_query_texts()]
    queries += [(f"{doc.name} cookbook", version + block) for doc in cookbook_documents()
                for block in re.findall(r"```cypher\n(.*?)```", doc.read_text("utf-8"), re.S)]
    result = subprocess.run(["node", "-e", _LINT], input=json.dumps(queries), cwd=folder,
                            capture_output=True, text=True, timeout=300, check=True)
    problems = [f"{name}: {text}\n    " + "\n    ".join(found)
                for name, text, found in json.loads(result.stdout) if found]
    assert len(queries) > 40
    assert not problems, "\n".join(problems)
