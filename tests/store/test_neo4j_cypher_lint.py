"""Every Cypher statement the Neo4j backend can send passes Neo4j's own parser and semantic
analysis (Cypher 5 and Cypher 25) with no error and no deprecation warning, without a server.

"Every statement" is each constant of ``graph.store.neo4j_queries`` and each builder over its
whole input space (every entity and relation type, type lists, directions, hop bounds); a
structural test below keeps the other Neo4j modules from writing Cypher of their own. The
queries of the Cypher cookbook in the documentation are linted too.

Neo4j's query front end ships, compiled to JavaScript, in the npm package
``@neo4j-cypher/language-support`` (Apache-2.0), pinned in ``tests/store/cypher_lint``.
``make test`` installs it there (``npm ci``); by hand::

    npm ci --prefix tests/store/cypher_lint --no-audit --no-fund

The package declares Node.js 24 as its engine; its ``lintCypherQuery`` runs on Node.js 20,
which this test uses. ``CYPHER_LINT_DIR`` points at another installation if needed.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.store.test_neo4j_queries import every_query_text

ROOT = Path(__file__).resolve().parents[2]
PINNED = Path(__file__).resolve().parent / "cypher_lint"
#: how a Cypher statement (or a piece of one) begins
CYPHER_START = re.compile(r"^\s*(OPTIONAL MATCH|MATCH|MERGE|UNWIND|CREATE|CALL|RETURN|WITH)\b")

_LINT = """
const ls = require('@neo4j-cypher/language-support');
const queries = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = queries.map(([name, text]) => [name, text, ls.lintCypherQuery(text, {}).diagnostics
  .filter(d => !/^Parameter \\$\\w+ is not defined/.test(d.message))
  .map(d => `[${d.severity === 1 ? 'error' : 'warning'}] ${d.message}`)]);
process.stdout.write(JSON.stringify(out));
"""


def lint_dir() -> Path:
    folder = Path(os.environ.get("CYPHER_LINT_DIR") or PINNED).expanduser()
    assert shutil.which("node"), "Node.js is needed to lint Cypher (apt-get install -y nodejs)"
    assert (folder / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(), (
        f"Neo4j's Cypher front end is not installed in {folder}: run "
        "`npm ci --prefix tests/store/cypher_lint --no-audit --no-fund` (make test does)")
    return folder


def cookbook_documents() -> list[Path]:
    """Where Cypher for Browser users is written: the README and every page under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def cookbook_queries() -> list[tuple[str, str]]:
    return [(f"{doc.name} cookbook", block) for doc in cookbook_documents()
            for block in re.findall(r"```cypher\n(.*?)```", doc.read_text("utf-8"), re.S)]


@pytest.mark.parametrize("version", ["", "CYPHER 25 "])
def test_every_statement_passes_neo4j_semantic_analysis(version: str) -> None:
    folder = lint_dir()
    queries = [(name, version + text) for name, text in [*every_query_text(),
                                                          *cookbook_queries()]]
    result = subprocess.run(["node", "-e", _LINT], input=json.dumps(queries), cwd=folder,
                            capture_output=True, text=True, timeout=600, check=True)
    linted = json.loads(result.stdout)
    problems = [f"{name}: {text}\n    " + "\n    ".join(found)
                for name, text, found in linted if found]
    assert len(linted) == len(queries) > 250
    assert not problems, "\n".join(problems)


def test_the_linter_reports_what_it_should() -> None:
    """The lint can fail: a syntax error, an undefined variable and a deprecated function are
    each reported (so a silent linter cannot pass the test above)."""
    bad = [("syntax", "MATCH (n RETURN n"), ("semantics", "MATCH (n) RETURN m"),
           ("deprecated", "MATCH (n) RETURN id(n) AS i")]
    result = subprocess.run(["node", "-e", _LINT], input=json.dumps(bad), cwd=lint_dir(),
                            capture_output=True, text=True, timeout=120, check=True)
    found = {name: diagnostics for name, _, diagnostics in json.loads(result.stdout)}
    assert all(found[name] for name, _ in bad), found


def test_the_cookbook_has_queries_to_lint() -> None:
    assert len(cookbook_queries()) >= 5


def test_only_the_query_module_writes_cypher() -> None:
    """The Neo4j backend sends statements from ``neo4j_queries`` alone, so linting that
    module's whole output covers everything it can send."""
    offenders = []
    for path in sorted((ROOT / "graph" / "store").glob("neo4j*.py")):
        if path.name == "neo4j_queries.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and CYPHER_START.match(node.value):
                offenders.append(f"{path.name}:{node.lineno}: {node.value[:60]!r}")
    assert not offenders, offenders
