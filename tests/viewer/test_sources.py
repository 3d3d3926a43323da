"""The entity panel's 来源 (what each source stated) and 冲突 (where sources disagree), in
headless chromium, over the Wenzhou sample plus two one-row lists that disagree on 青科孵化器's
level, one of them in a file whose name is markup."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from graph.settings import Settings
from graph.store import open_store
from ingest.loader import load_paths
from tests.conftest import SAMPLE

from .conftest import Incidents, screenshot
from .served import app_with_viewer, serving

Guarded = tuple[Any, Incidents]
GRAPH_READY = "body[data-graph-ready]:not([data-graph-ready=''])"
ENTITY = "incubator:青科孵化器"
HOSTILE_FILE = "<img src=x onerror=alert(1)>.csv"
KINDS_EN = ("table", "list", "registry", "patent", "document", "api", "review", "reference")
KINDS_ZH = ("表格", "政府名单", "工商登记", "专利", "报告", "接口写入", "审核", "参考名录")


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]+", text))


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Overrides the package's server: the sample, then 省级 from one list, then 市级 from a
    list named like markup (a later run of the same kind of source wins: 市级 is shown)."""
    root = tmp_path_factory.mktemp("sources")
    provincial = root / "省级名单.csv"
    provincial.write_text("name,type,level\n青科孵化器,incubator,省级\n", encoding="utf-8")
    try:
        hostile = root / HOSTILE_FILE
        hostile.write_text("name,type,level\n青科孵化器,incubator,市级\n", encoding="utf-8")
    except OSError:  # pragma: no cover - a file system that refuses the name
        pytest.skip("the file system refuses a file name with markup")
    store = open_store(root / "store")
    try:
        for paths in ([SAMPLE], [provincial], [hostile]):
            assert load_paths(store, paths).rejected == 0
        app = app_with_viewer(store, Settings(store=store.location, rejects_dir=root / "rejects"))
        with serving(app) as url:
            yield url
    finally:
        store.close()


def open_entity(page: Any, base_url: str) -> None:
    page.goto(base_url + "/#entity=" + quote(ENTITY))
    page.wait_for_selector("#conflicts li.conflict")
    page.wait_for_selector(GRAPH_READY, state="attached", timeout=30_000)


def test_sources_list_each_file_its_kind_row_and_statement(guarded: Guarded,
                                                          base_url: str) -> None:
    page, _ = guarded
    open_entity(page, base_url)
    expect(page.locator("#entity-name")).to_have_text("青科孵化器")
    assert page.locator("#panel h3", has_text="来源").count() == 1
    lines = page.locator("#sources li.source")
    expect(lines).to_have_count(3)
    names = page.locator("#sources .source-name").all_text_contents()
    assert sorted(names) == sorted(["entities.csv", "省级名单.csv", HOSTILE_FILE])
    assert page.locator("#sources .kind").all_text_contents() == ["表格"] * 3
    by_name = dict(zip(names, lines.all_text_contents(), strict=True))
    assert "第 2 行" in by_name["省级名单.csv"] and "级别：省级" in by_name["省级名单.csv"]
    assert "级别：市级" in by_name[HOSTILE_FILE]
    assert "细分类型：孵化器" in by_name["entities.csv"]  # the sample's own statement
    assert re.search(r"第 \d+ 行", by_name["entities.csv"])
    # the full path stays reachable as the line's tooltip; only the base name is shown
    titles = [lines.nth(i).get_attribute("title") for i in range(3)]
    assert any(t and t.endswith("/" + HOSTILE_FILE) for t in titles)
    # the merged 属性 table uses the same Chinese labels
    assert "级别" in page.text_content("#panel table")
    screenshot(page, "viewer-sources.png")


def test_conflict_shows_the_field_the_value_used_and_every_value_with_its_source(
        guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    open_entity(page, base_url)
    assert page.locator("#panel h3", has_text="冲突").count() == 1
    conflict = page.locator("#conflicts li.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict.locator(".field")).to_have_text("级别")
    expect(conflict.locator(".chosen")).to_contain_text("采用：市级")
    stated = conflict.locator("li.stated").all_text_contents()
    assert sorted(stated) == sorted([f"市级（{HOSTILE_FILE} · 表格）", "省级（省级名单.csv · 表格）"])


def test_no_english_and_markup_stays_text(guarded: Guarded, base_url: str) -> None:
    page, seen = guarded
    open_entity(page, base_url)
    shown = page.text_content("#sources") + page.text_content("#conflicts")
    # the only Latin letters are the file names' own (entities.csv, the hostile name's words)
    names = " ".join(page.locator("#sources .source-name").all_text_contents())
    assert english_words(shown) == english_words(names) == english_words("entities.csv "
                                                                         + HOSTILE_FILE)
    assert "props.level" not in page.text_content("#panel")
    assert page.locator("#panel img, #panel script").count() == 0
    assert HOSTILE_FILE in shown  # the markup is there, as text
    page.wait_for_timeout(300)  # give an injected handler time to fire
    assert seen.dialogs == []


def test_every_kind_and_a_type_conflict_in_chinese(guarded: Guarded, base_url: str) -> None:
    """Kinds the files above cannot produce (registry, API writes …), rendered from a
    hand-made detail: every kind in Chinese, a type conflict by its type labels."""
    page, _ = guarded
    page.goto(base_url + "/")
    page.wait_for_selector("#home-industries li")
    shown = page.evaluate("""async ([kinds]) => {
        const { renderPanel } = await import('/static/panels.js');
        const panel = document.createElement('div');
        const sources = kinds.map((kind, i) => ({ source: i ? `/data/${kind}.xlsx#Sheet1` : 'api',
            kind, run: 'r' + i, row: i || null, name: '甲', name_raw: '甲', type: 'industry',
            aliases: [], props: { founded_year: 2001 + i }, provenance: {} }));
        sources.push({ source: 'odd.csv', kind: 'unheard_of', run: 'r9', row: 3, props: {},
                       provenance: {}, name: '甲', name_raw: '甲', type: 'park', aliases: [] });
        const entity = { id: 'industry:甲', name: '甲', type: 'industry', type_label: '产业',
            aliases: [], props: {}, provenance: {}, scores: {}, sources, conflicts: [
              { field: 'type', chosen: 'industry', values: [
                { value: 'industry', source: 'api', kind: 'api' },
                { value: 'park', source: 'odd.csv', kind: 'unheard_of' }] }] };
        renderPanel(panel, entity, { go: () => {}, target: null, setTarget: () => {} });
        return { kinds: [...panel.querySelectorAll('#sources .kind')].map((n) => n.textContent),
                 names: [...panel.querySelectorAll('#sources .source-name')].map((n) => n.textContent),
                 lines: [...panel.querySelectorAll('#sources li')].map((n) => n.textContent),
                 conflict: panel.querySelector('#conflicts').textContent };
    }""", [list(KINDS_EN)])
    assert shown["kinds"] == [*KINDS_ZH, "其他来源"]
    assert shown["names"][:2] == ["接口", "list.xlsx#Sheet1"]  # base name, sheet kept
    assert "成立年份：2002" in shown["lines"][1] and "第 1 行" in shown["lines"][1]
    assert "行" not in shown["lines"][0]  # an API write has no row
    assert "类型：园区" in shown["lines"][-1]  # a claim of another type says so
    assert shown["conflict"].startswith("类型 采用：产业")
    assert "园区（odd.csv · 其他来源）" in shown["conflict"]
    assert not english_words(" ".join(shown["kinds"]) + shown["conflict"]) - {"odd", "csv"}
