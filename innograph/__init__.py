"""innograph's front ends: the ``innograph`` command line and the notebook helpers.

The top layer: it may import every other package (schema ← graph ← ingest | viz ← api ←
innograph; ``lint-imports`` checks it).

Importing it checks that ``schema`` is innograph's ontology package. The PyPI distribution
``schema`` has the same import name: in an environment holding both, an editable install
imports PyPI's (site-packages comes before setuptools' editable finder), and a regular
install writes both into one ``site-packages/schema/`` folder, the second ``__init__.py``
replacing the first. Either way innograph stops here with one clear error instead of
failing later on a missing name.
"""

from __future__ import annotations

import schema as _schema

SCHEMA_CLASH = (
    "`import schema` loaded {origin}, which is not innograph's ontology package. The PyPI "
    "distribution 'schema' uses the same import name and cannot share an environment with "
    "innograph: `pip uninstall schema`, then reinstall innograph (uninstalling it may have "
    "removed innograph's schema/__init__.py), or give innograph its own virtual environment."
)


def _check_schema() -> None:
    """Raise ImportError unless ``schema`` is innograph's own package."""
    if not hasattr(_schema, "InnographError") or not hasattr(_schema, "EntityType"):
        origin = getattr(_schema, "__file__", None) or f"a namespace package {_schema.__path__}"
        raise ImportError(SCHEMA_CLASH.format(origin=origin), name="schema")


_check_schema()
