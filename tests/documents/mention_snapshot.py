"""The organisation mentions the extractor reads from every dev-set document it may be tuned
on, one line each, with the rules alone and with the second reader: a refactor of the
boundary rules (``ingest/documents/boundary_rules.py``) must leave them unchanged, and a
deliberate change shows up as a reviewable diff of ``data/mention_snapshot.json``.

    DEVSET_CORPUS_DIR=../shared/corpus .venv/bin/python -m tests.documents.mention_snapshot

Patterns only (no gazetteer): that is where the boundary rules decide every name. The blind
parts are left out unread (:data:`tests.documents.relation_snapshot.UNSEEN`); the corpus is included when present.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ingest.documents.extract import extract_path
from tests.documents.relation_snapshot import documents

SNAPSHOT = Path(__file__).parent / "data" / "mention_snapshot.json"
#: the two readings snapshotted: the rules alone, and with the second reader
MODES = ("rules", "rules+model")


@cache
def _second_reader() -> Any:
    from ingest.documents.second_reading import second_reader

    return second_reader()


def _field(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(
        value, (dict, list)) else str(value)


def mention_lines(path: Path, mode: str) -> list[str]:
    """Every mention read from ``path`` in ``mode`` (one of :data:`MODES`), one line each,
    in document order."""
    second = _second_reader() if mode == "rules+model" else None
    keys = ["name", "type", "start", "end", "method", "confidence", "canonical"]
    if second is not None:
        keys += ["readers", "rule", "model_span", "rule_span", "rule_confidence"]
    return [" | ".join(_field(line.get(key)) for key in keys)
            for line in extract_path(path, None, second).lines()
            if line["record"] == "mention"]


def snapshot() -> dict[str, dict[str, list[str]]]:
    return {mode: {name: mention_lines(path, mode) for name, path in documents().items()
                   if path is not None} for mode in MODES}


def main() -> None:
    SNAPSHOT.write_text(json.dumps(snapshot(), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")


if __name__ == "__main__":
    main()
