"""Only ontology enum values and checked integers reach Neo4j query text; the rest is $params."""

from __future__ import annotations

import inspect
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from graph.store import neo4j_queries as q
from schema import EntityType, RelationType

HOSTILE_NAMES = [
    "x`]->(n) DETACH DELETE n //", "Entity) DETACH DELETE e //", "PARTNERSHIP|X", "partnership ",
    "Partnership", "PARTNERSHIP", "TalentTeam", "", "合作", "'; MATCH (n) DETACH DELETE n; //",
    "located_in\n", "$rows", "{id: 1}",
]
HOSTILE_INTS: list[Any] = [0, -1, 31, 10**9, True, 2.5, "3", "1..99]-() DETACH DELETE n //"]

ALLOWED_LABELS = {"Entity", q.META_LABEL} | {t.neo4j_label for t in EntityType} \
    | {t.neo4j_type for t in RelationType}
#: string literals the module writes itself (options of the full-text index, the meta key)
ALLOWED_LITERALS = {"'cjk'", "'version'", "''"}


def builders() -> Iterator[tuple[str, Callable[..., str]]]:
    for name, fn in inspect.getmembers(q, inspect.isfunction):
        if fn.__module__ == q.__name__ and not name.startswith("_"):
            yield name, fn


def valid_arguments(fn: Callable[..., str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, parameter in inspect.signature(fn).parameters.items():
        hint = str(parameter.annotation)
        if "Iterable" in hint:
            values[name] = [RelationType.partnership, "leads"]
        elif "EntityType" in hint:
            values[name] = EntityType.talent_team
        elif "RelationType" in hint:
            values[name] = "in_segment"
        elif hint == "int":
            values[name] = 3
        elif hint == "bool":
            values[name] = True
        else:
            raise AssertionError(f"{fn.__name__}: no test value for {name}: {hint}")
    return values


def every_argument_combination(fn: Callable[..., str]) -> Iterator[dict[str, Any]]:
    """Each builder's whole input space: every entity and relation type, every type list
    shape (all types, each one alone, a mixed pair), both directions and filters, and the
    hop bounds at and between the ends of their range."""
    choices: dict[str, list[Any]] = {}
    for name, parameter in inspect.signature(fn).parameters.items():
        hint = str(parameter.annotation)
        if "Iterable" in hint:
            choices[name] = [None, [RelationType.partnership, "leads"]] \
                + [[t] for t in RelationType]
        elif "EntityType" in hint:
            choices[name] = list(EntityType)
        elif "RelationType" in hint:
            choices[name] = list(RelationType)
        elif hint == "int":
            choices[name] = [1, 2, 3, 30]
        elif hint == "bool":
            choices[name] = [True, False]
        else:
            raise AssertionError(f"{fn.__name__}: no test values for {name}: {hint}")
    for combination in itertools.product(*choices.values()):
        yield dict(zip(choices, combination, strict=True))


def all_query_texts() -> Iterator[tuple[str, str]]:
    for name, value in vars(q).items():
        if name.isupper() and not name.startswith("_") and isinstance(value, str) \
                and name not in {"META_LABEL", "FULLTEXT_INDEX"}:
            yield name, value
    for name, fn in builders():
        result = fn(**valid_arguments(fn))
        for text in result if isinstance(result, list) else [result]:
            yield name, text


def every_query_text() -> Iterator[tuple[str, str]]:
    """Every distinct statement the backend can send: the constants, and each builder over
    :func:`every_argument_combination`."""
    seen: set[str] = set()
    for name, value in vars(q).items():
        if name.isupper() and not name.startswith("_") and isinstance(value, str) \
                and name not in {"META_LABEL", "FULLTEXT_INDEX"}:
            seen.add(value)
            yield name, value
    for name, fn in builders():
        for arguments in every_argument_combination(fn):
            result = fn(**arguments)
            for text in result if isinstance(result, list) else [result]:
                if text not in seen:
                    seen.add(text)
                    yield f"{name}({arguments})", text


def test_every_builder_is_walked() -> None:
    names = {name for name, _ in builders()}
    assert {"merge_entities", "merge_relations", "shortest_paths", "edges_from",
            "relation_page", "schema_statements"} <= names


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_hostile_names_never_reach_query_text(hostile: str) -> None:
    walked = 0
    for name, fn in builders():
        for parameter, hint in ((p, str(v.annotation)) for p, v in
                                inspect.signature(fn).parameters.items()):
            if "Type" not in hint:
                continue
            arguments = valid_arguments(fn)
            arguments[parameter] = [hostile] if "Iterable" in hint else hostile
            with pytest.raises(ValueError):
                text = fn(**arguments)
                pytest.fail(f"{name}({parameter}={hostile!r}) built {text!r}")
            walked += 1
    assert walked >= 9  # every builder that takes a label or relationship type


@pytest.mark.parametrize("bound", HOSTILE_INTS)
def test_hop_bounds_are_checked_integers(bound: Any) -> None:
    with pytest.raises(ValueError):
        q.shortest_paths(bound, None)


def test_an_empty_type_list_is_refused_rather_than_matching_everything() -> None:
    with pytest.raises(ValueError):
        q.edges_among([])


@pytest.mark.parametrize(("name", "text"), list(all_query_texts()))
def test_query_text_holds_only_ontology_names(name: str, text: str) -> None:
    labels = set(re.findall(r"[(\[|:]\s*\w*\s*:\s*([A-Za-z_]\w*)", text))
    labels |= set(re.findall(r"\|([A-Za-z_]\w*)", text))
    labels |= set(re.findall(r"\b\w+:([A-Z]\w*)", text))  # SET e:Label, REMOVE e:A:B
    labels |= {part for chain in re.findall(r"\b\w+((?::[A-Z]\w*)+)", text)
               for part in chain.split(":") if part}
    assert labels <= ALLOWED_LABELS, f"{name}: {labels - ALLOWED_LABELS}"
    literals = set(re.findall(r"'[^']*'", text))
    assert literals <= ALLOWED_LITERALS, f"{name}: {literals}"
    assert "{}" not in text and "%s" not in text, f"{name}: unformatted placeholder"


def test_values_travel_as_parameters() -> None:
    text = q.merge_entities(EntityType.enterprise)
    assert "$rows" in text and ":Enterprise" in text
    assert "REMOVE e:" in text and ":Enterprise" not in text.split("REMOVE")[1]
    for builder in (q.edges_from(None, True, True), q.shortest_paths(6, None)):
        assert "$n" in builder  # limits are parameters too
    assert q.shortest_paths(8, [RelationType.partnership]).count("*1..8") == 1
    assert "WHERE b.type IN $entity_types" in q.edges_from([RelationType.leads], True, True)
    assert "WHERE a.type IN $entity_types" in q.edges_from([RelationType.leads], False, True)
    assert "$entity_types" not in q.edges_from([RelationType.leads], True, False)


def test_traversals_name_every_ontology_type_when_none_is_given() -> None:
    text = q.relation_hashes()
    assert all(t.neo4j_type in text for t in RelationType)
    assert q.relation_hashes(["leads", RelationType.leads]).count("LEADS") == 1


def test_emptying_the_graph_keeps_the_version_node() -> None:
    # the version must keep growing after delete_all: caches key on it
    assert q.META_LABEL not in q.DELETE_ENTITY_CHUNK
    assert q.DELETE_ENTITY_CHUNK.startswith("MATCH (e:Entity) WITH e LIMIT $n DETACH DELETE e")


def test_paths_carry_their_nodes_properties() -> None:
    # one query: a node deleted between two reads cannot break a path
    assert "[n IN nodes(p) | properties(n)] AS nodes" in q.shortest_paths(4, None)


@pytest.mark.parametrize("text", [q.ENTITY_HASHES, q.ALL_ENTITY_HASHES, q.relation_hashes(),
                                  q.pair_hashes(RelationType.leads)])
def test_a_record_made_by_hand_without_a_hash_reads_as_an_empty_hash(text: str) -> None:
    # a null would break stats() (sorting None beside str) and the diff of the next load
    assert ".chash, '') AS h" in text and "chash AS h" not in text
