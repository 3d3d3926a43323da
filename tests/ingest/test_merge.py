"""Several sources, one record: a second source adds to the first, a re-load replaces only its
own claims, and a corrected file withdraws what it no longer states (and says so)."""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore, open_store
from ingest.loader import load_paths
from schema.claims import conflicts

from ..conftest import SAMPLE


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_source_adds_to_the_sample_and_erases_nothing(embedded: GraphStore,
                                                               tmp_path: Path) -> None:
    # the reproduction: the one-row CSV used to replace the curated record
    load_paths(embedded, [SAMPLE])
    before = embedded.get("incubator:青科孵化器")
    assert before is not None and before.props["description"]
    one_row = write(tmp_path, "list.csv", "name,type,level\n青科孵化器,incubator,省级\n")
    summary = load_paths(embedded, [one_row])
    after = embedded.get("incubator:青科孵化器")
    assert after is not None
    assert after.props == {**before.props, "level": "省级"}
    assert after.provenance == before.provenance  # the report citation stays
    assert {c.source for c in after.sources()} == {str(one_row), str(SAMPLE / "entities.csv")}
    assert summary.merge.merged["entities"] == 1
    assert summary.rows_read == summary.accounted
    # loading the same file again changes nothing, and the hash stays
    content = embedded.stats().content_hash
    again = load_paths(embedded, [one_row])
    assert again.unchanged["entities"] == 1 and embedded.stats().content_hash == content


def test_precedence_and_conflicts_are_kept(embedded: GraphStore, tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "name,type,level,founded_year\n华联机械,enterprise,市级,2001\n")
    second = write(tmp_path, "b.csv", "name,type,level\n华联机械,enterprise,省级\n")
    load_paths(embedded, [first])
    load_paths(embedded, [second])
    entity = embedded.get("enterprise:华联机械")
    assert entity is not None
    # same kind of source: the later run wins the field it states; the rest stays
    assert entity.props == {"level": "省级", "founded_year": 2001}
    found = conflicts(entity.sources(), entity.type.value)
    assert [c.field for c in found] == ["props.level"]
    assert {v for v, _, _ in found[0].values} == {"市级", "省级"}


def test_both_files_of_one_load_state_one_record(embedded: GraphStore, tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", "name,type,level\n温州大学,institute,省级\n")
    b = write(tmp_path, "b.csv", "name,type,description\n温州大学,institute,综合性大学\n")
    summary = load_paths(embedded, [a, b])
    entity = embedded.get("institute:温州大学")
    assert entity is not None and entity.props == {"level": "省级", "description": "综合性大学"}
    assert summary.merge.folded["entities"] == 1 and summary.rows_read == summary.accounted


def test_a_corrected_file_withdraws_only_its_own_claims(embedded: GraphStore,
                                                        tmp_path: Path) -> None:
    other = write(tmp_path, "other.csv", "name,type,description\n甲研究院,institute,老牌院所\n")
    listed = tmp_path / "list.csv"
    write(tmp_path, "list.csv", "name,type,level\n甲研究院,institute,省级\n乙公司,enterprise,市级\n")
    load_paths(embedded, [other])
    load_paths(embedded, [listed])
    write(tmp_path, "list.csv", "name,type,level\n丙公司,enterprise,区级\n")  # corrected
    summary = load_paths(embedded, [listed])
    kept = embedded.get("institute:甲研究院")
    assert kept is not None and kept.props == {"description": "老牌院所"}  # other source stays
    assert embedded.get("enterprise:乙公司") is None  # only the list stated it
    assert embedded.get("enterprise:丙公司") is not None
    assert summary.merge.withdrawn["entities"] == 2 and summary.merge.deleted["entities"] == 1


def test_a_reload_with_rejected_rows_withdraws_nothing(embedded: GraphStore,
                                                       tmp_path: Path) -> None:
    listed = write(tmp_path, "list.csv", "name,type\n乙公司,enterprise\n丁公司,enterprise\n")
    load_paths(embedded, [listed])
    write(tmp_path, "list.csv", "name,type\n乙公司,enterprise\n,enterprise\n")
    summary = load_paths(embedded, [listed])
    assert summary.rejected == 1
    assert embedded.get("enterprise:丁公司") is not None  # not withdrawn by a broken re-load


def test_a_withdrawn_entity_stays_while_another_source_links_it(embedded: GraphStore,
                                                                tmp_path: Path) -> None:
    listed = write(tmp_path, "list.csv", "name,type\n乙公司,enterprise\n温州大学,institute\n")
    links = write(tmp_path, "links.csv", "source,target,relation\n乙公司,温州大学,partnership\n")
    load_paths(embedded, [listed])
    load_paths(embedded, [links])
    write(tmp_path, "list.csv", "name,type\n温州大学,institute\n")
    summary = load_paths(embedded, [listed])
    assert embedded.get("enterprise:乙公司") is not None
    assert summary.merge.kept == ["enterprise:乙公司"]


def test_a_schema_4_store_is_upgraded_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with open_store(str(folder)) as store:
        load_paths(store, [SAMPLE])
        content = store.stats().content_hash
        # make it look like an older innograph's store: no claims, no origin
        run = store._run  # type: ignore[attr-defined]
        run("ALTER TABLE Entity DROP claims")
        run("ALTER TABLE Source DROP origin")
        from graph.store import ladybug_queries as q
        from schema import RelationType
        for relation in RelationType:
            if relation is not RelationType.co_applicant:
                run(f"ALTER TABLE {relation.value} DROP claims")
        run(q.SET_META, {"key": "schema_version", "value": "4"})
    with open_store(str(folder)) as store:
        assert store.stats().content_hash == content
        assert store.get("incubator:青科孵化器") is not None


def test_sources_are_listed_and_one_is_removed_as_a_whole(embedded: GraphStore,
                                                          tmp_path: Path) -> None:
    import pytest

    from ingest.sources import list_sources, remove_source
    from schema import InvalidInput

    load_paths(embedded, [SAMPLE])
    content = embedded.stats().content_hash
    extra = write(tmp_path, "list.csv", "name,type,level\n青科孵化器,incubator,省级\n"
                                        "新公司,enterprise,区级\n")
    load_paths(embedded, [extra])
    listed = {s.source: s for s in list_sources(embedded)}
    assert (listed[str(extra)].entities, listed[str(extra)].kind) == (2, "table")
    assert listed[str(SAMPLE / "relations.csv")].relations == 411
    preview = remove_source(embedded, str(extra), dry_run=True)
    assert preview.deleted["entities"] == 1 and embedded.get("enterprise:新公司") is not None
    report = remove_source(embedded, str(extra))
    assert report.withdrawn["entities"] == 2 and report.deleted["entities"] == 1
    assert embedded.stats().content_hash == content  # back to the sample alone
    with pytest.raises(InvalidInput, match="states nothing"):
        remove_source(embedded, "no-such.csv")
