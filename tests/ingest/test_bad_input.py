"""Bad input: each case shows the clear error and that nothing stored was lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graph.store import GraphStore, open_store
from ingest.loader import LoadSummary, load_paths
from schema import StoreUnavailable, UnreadableFile

GOOD_ENTITIES = "id,name,type\n,浙江大学温州研究院,institute\n,华联机械,enterprise\n,瓯海区,region\n"
GOOD_RELATIONS = ("source,target,relation\n华联机械,浙江大学温州研究院,partnership\n"
                  "浙江大学温州研究院,瓯海区,located_in\n")
VALID_CODE = "91350100M000100Y43"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def loaded(embedded: GraphStore, tmp_path: Path) -> tuple[GraphStore, str]:
    """A store already holding a small graph, and its content hash."""
    load_paths(embedded, [write(tmp_path, "base.csv", GOOD_ENTITIES),
                          write(tmp_path, "base_rel.csv", GOOD_RELATIONS)])
    return embedded, embedded.stats().content_hash


def load_one(store: GraphStore, folder: Path, text: str, name: str = "in.csv",
             encoding: str = "utf-8") -> LoadSummary:
    summary = load_paths(store, [write(folder, name, text, encoding)],
                         rejects_path=folder / "rejects.csv")
    assert summary.rows_read == summary.accounted
    return summary


def only_reject(summary: LoadSummary) -> tuple[int, str, str, str]:
    assert summary.rejected == 1, summary.rejects
    r = summary.rejects[0]
    return r.row, r.column, r.value, r.reason


def test_missing_name_is_rejected_with_row_and_column(loaded: tuple[GraphStore, str],
                                                      tmp_path: Path) -> None:
    store, before = loaded
    summary = load_one(store, tmp_path, "id,name,type\nx1,,enterprise\n")
    row, column, _, reason = only_reject(summary)
    assert (row, column) == (2, "name") and "missing" in reason
    assert store.stats().content_hash == before
    text = (tmp_path / "rejects.csv").read_text(encoding="utf-8-sig")
    assert "in.csv,2,name,,missing" in text


def test_missing_id_is_derived_from_type_and_name(embedded: GraphStore, tmp_path: Path) -> None:
    summary = load_one(embedded, tmp_path, "id,name,type\n,温州大学,institute\n")
    assert summary.created["entities"] == 1
    assert embedded.get("institute:温州大学") is not None


def test_unknown_type_names_the_allowed_values(loaded: tuple[GraphStore, str],
                                               tmp_path: Path) -> None:
    store, _before = loaded
    summary = load_one(store, tmp_path, "id,name,type\n,某公司,company\n,温州大学,高校\n")
    row, column, value, reason = only_reject(summary)
    assert (row, column, value) == (2, "type", "company") and "enterprise" in reason
    assert store.get("institute:温州大学") is not None  # Chinese type words are understood
    assert store.stats().entities == 4


def test_invalid_credit_code_is_a_reject_not_an_id(loaded: tuple[GraphStore, str],
                                                   tmp_path: Path) -> None:
    store, _before = loaded
    bad = VALID_CODE[:-1] + "4"
    summary = load_one(store, tmp_path, f"name,type,统一社会信用代码\n甲公司,企业,{bad}\n"
                                        f"乙公司,企业,{VALID_CODE}\n丙公司,企业,12345\n")
    assert summary.rejected == 2
    first, second = sorted(summary.rejects, key=lambda r: r.row)
    # the column as the file wrote it, not the canonical name
    assert (first.row, first.column, first.value) == (2, "统一社会信用代码", bad)
    assert "check digit" in first.reason
    assert second.row == 4 and "18 characters" in second.reason
    assert store.get(VALID_CODE) is not None  # a valid code is the enterprise's id
    assert store.stats().entities == 4


def test_conflicting_duplicates_reject_every_copy(loaded: tuple[GraphStore, str],
                                                  tmp_path: Path) -> None:
    store, _before = loaded
    text = ("id,name,type,level\n,瓯江实验室,institute,省级\n,瓯江实验室,institute,国家级\n"
            ",温州大学,institute,\n,温州大学,institute,\n")
    summary = load_one(store, tmp_path, text)
    assert summary.rejected == 2 and {r.row for r in summary.rejects} == {2, 3}
    assert "conflicting duplicate" in summary.rejects[0].reason
    assert summary.created["entities"] == 1 and summary.unchanged["entities"] == 1
    assert store.get("institute:瓯江实验室") is None


def test_conflicting_duplicate_keeps_the_stored_version(loaded: tuple[GraphStore, str],
                                                        tmp_path: Path) -> None:
    store, before = loaded
    load_one(store, tmp_path, "name,type,level\n华联机械,enterprise,省级\n"
                              "华联机械,enterprise,市级\n")
    assert store.stats().content_hash == before


def test_relation_to_unknown_entity_is_rejected_not_created(loaded: tuple[GraphStore, str],
                                                            tmp_path: Path) -> None:
    store, before = loaded
    summary = load_one(store, tmp_path, "source,target,relation\n华联机械,不存在研究院,partnership\n")
    row, column, value, reason = only_reject(summary)
    assert (row, column, value) == (2, "target", "不存在研究院") and "unknown entity" in reason
    assert store.stats().content_hash == before


def test_relation_to_a_rejected_row_says_so(embedded: GraphStore, tmp_path: Path) -> None:
    ents = write(tmp_path, "e.csv", "name,type,统一社会信用代码\n甲公司,enterprise,bad\n"
                                    "温州大学,institute,\n")
    rels = write(tmp_path, "r.csv", "source,target,relation\n甲公司,温州大学,partnership\n")
    summary = load_paths(embedded, [ents, rels])
    assert summary.rejected == 2
    assert "its row" in summary.rejects[1].reason and "e.csv row 2" in summary.rejects[1].reason


def test_relation_with_wrong_endpoint_types_or_props(loaded: tuple[GraphStore, str],
                                                     tmp_path: Path) -> None:
    store, before = loaded
    text = ("source,target,relation,kind,year\n华联机械,瓯海区,leads,,\n"
            "华联机械,浙江大学温州研究院,partnership,瞎合作,\n"
            "华联机械,浙江大学温州研究院,partnership,,二〇二一\n"
            "浙江大学温州研究院,瓯海区,located_in,共建,\n")
    summary = load_one(store, tmp_path, text)
    reasons = {r.row: (r.column, r.reason) for r in summary.rejects}
    assert reasons[2][0] == "relation" and "cannot start at enterprise" in reasons[2][1]
    assert reasons[3][0] == "kind" and "共建" in reasons[3][1]
    assert reasons[4][0] == "year"
    assert reasons[5][0] == "kind" and "partnership" in reasons[5][1]
    assert store.stats().content_hash == before


def test_gb18030_file_loads(embedded: GraphStore, tmp_path: Path) -> None:
    summary = load_one(embedded, tmp_path, "名称,类型\n温州医科大学,高校\n中国眼谷,孵化器\n",
                       encoding="gb18030")
    assert summary.created["entities"] == 2 and summary.rejected == 0
    assert embedded.get("institute:温州医科大学") is not None


def test_utf8_bom_file_loads(embedded: GraphStore, tmp_path: Path) -> None:
    summary = load_one(embedded, tmp_path, "id,name,type\n,温州大学,institute\n",
                       encoding="utf-8-sig")
    assert summary.created["entities"] == 1


def test_traditional_names_are_normalised_and_kept_as_written(embedded: GraphStore,
                                                             tmp_path: Path) -> None:
    load_one(embedded, tmp_path, "name,type,aliases\n溫州醫科大學,institute,溫醫大\n"
                                 "温州（嘉定）科創園,incubator,\n")
    got = embedded.get("institute:温州医科大学")
    assert got is not None and got.name_raw == "溫州醫科大學" and got.aliases == ("温医大",)
    assert embedded.get("incubator:温州(嘉定)科创园") is not None
    load_one(embedded, tmp_path, "source,target,relation\n溫州醫科大學,温州(嘉定)科创园,partnership\n",
             name="rel.csv")
    assert embedded.stats().relations == 1


def test_empty_file_is_a_clear_error_and_writes_nothing(loaded: tuple[GraphStore, str],
                                                        tmp_path: Path) -> None:
    store, before = loaded
    empty = write(tmp_path, "empty.csv", "")
    good = write(tmp_path, "good.csv", "name,type\n新企业,enterprise\n")
    with pytest.raises(UnreadableFile, match=r"empty\.csv: file is empty"):
        load_paths(store, [good, empty])
    assert store.stats().content_hash == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.csv", "hello world\njust some text\n", "no row reads as a header"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content"),
    ("book.xlsx", b"PK\x03\x04 not really a workbook", "not a readable workbook"),
    ("data.json", '{"name": "x"}', "list of objects"),
    ("data.jsonl", '{"name": "x"}\nnot json\n', "line 2 is not JSON"),
    ("report.pdf", "%PDF-1.4", "unsupported file type .pdf"),
])
def test_file_that_is_not_a_table(loaded: tuple[GraphStore, str], tmp_path: Path, name: str,
                                  content: str | bytes, message: str) -> None:
    store, before = loaded
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=message) as caught:
        load_paths(store, [path])
    assert name in str(caught.value)
    assert store.stats().content_hash == before


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else False,
                    reason="root can write anywhere; the read-only case below covers root")
def test_store_path_not_writable_as_user(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(StoreUnavailable, match="locked"):
        open_store(locked / "store")


def test_store_path_not_writable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="cannot create folder") as caught:
        open_store(blocker / "store")
    assert str(blocker) in str(caught.value)
    with pytest.raises(StoreUnavailable, match="no graph here yet"):
        open_store(tmp_path / "nothing", read_only=True)


# -- issue 15, findings 5 and 6: input that was silently misread, or exhausted the machine --
def test_an_unclosed_quote_is_an_error_not_rows_swallowed(loaded: tuple[GraphStore, str],
                                                         tmp_path: Path) -> None:
    store, before = loaded
    text = 'name,type\n"华联机械,enterprise\n温州大学,institute\n瓯海区,region\n'
    with pytest.raises(UnreadableFile, match=r"line 2: a quoted field .* is never closed"):
        load_one(store, tmp_path, text)
    assert store.stats().content_hash == before


def test_a_bom_in_front_of_gb18030_text_is_an_error(loaded: tuple[GraphStore, str],
                                                    tmp_path: Path) -> None:
    store, before = loaded
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "id,name,type\n,温州大学,institute\n".encode("gb18030"))
    with pytest.raises(UnreadableFile, match="byte-order mark but line 2 is not UTF-8"):
        load_paths(store, [path])
    assert store.stats().content_hash == before


@pytest.mark.parametrize(("name", "reason"), [
    ("温州\x00大学", "control character U+0000"),
    ("温州\ufeff大学", "byte-order mark"),
    ("长" * 301, "more than the limit of 300"),
])
def test_names_with_control_characters_or_too_long_are_rejects(
        loaded: tuple[GraphStore, str], tmp_path: Path, name: str, reason: str) -> None:
    store, _ = loaded
    path = tmp_path / "odd.json"
    path.write_text(json.dumps([{"name": name, "type": "institute"},
                                {"name": "温州肯恩大学", "type": "institute"}]),
                    encoding="utf-8")
    summary = load_paths(store, [path])
    assert summary.rejected == 1 and reason in summary.rejects[0].reason
    assert summary.rejects[0].column == "name" and summary.created["entities"] == 1


def test_json_nested_too_deep_is_a_clear_error(loaded: tuple[GraphStore, str],
                                               tmp_path: Path) -> None:
    store, before = loaded
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="nested too deeply"):
        load_paths(store, [path])
    assert store.stats().content_hash == before


def test_a_file_over_the_size_limit_is_refused_before_reading(
        loaded: tuple[GraphStore, str], tmp_path: Path) -> None:
    from ingest.load_options import LoadOptions
    from ingest.shapes.limits import ReadLimits

    store, before = loaded
    path = write(tmp_path, "big.csv", "name,type\n" + "温州大学,institute\n" * 70_000)
    limits = ReadLimits(max_file_bytes=1 << 20)
    with pytest.raises(UnreadableFile, match="INNOGRAPH_MAX_FILE_MB"):
        load_paths(store, [path], options=LoadOptions(limits=limits))
    assert store.stats().content_hash == before
