"""Issue 17: the viewer's upload screen (a table or a document, the write key, the dry run's
mapping before the load, the load's result) and review screen (accept, edit, reject, add a
missed relation), driven in headless chromium against a served app with writes enabled and
checked against the store and the review queue themselves. Every message is Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pydantic import SecretStr

from api.resolve import entity_named
from graph.settings import Settings
from graph.store import GraphStore
from ingest.documents.pipeline import review_queue_path
from ingest.documents.queue import ReviewQueue
from schema import EntityNotFound, EntityType, RelationType, entity_id, relation_id
from schema.types import PartnershipKind, PartnershipStatus
from tests.documents.conftest import SIMPLIFIED
from tests.fixtures.bureau.build import BUILDERS

from .conftest import Incidents, screenshot
from .served import app_with_viewer, sample_with_hostile_names, serving

KEY = "viewer-key-5d1c"
DOC = "ningbo-2023"
#: three or more Latin letters in a row: English words, keys (an acronym such as XLSX, a
#: file format the screen names, is all capitals and allowed)
LATIN_WORD = re.compile(r"[A-Za-z_]{3,}")
Guarded = tuple[Any, Incidents]


@dataclass
class Writable:
    url: str
    store: GraphStore
    files: Path

    def queue(self) -> ReviewQueue:
        return ReviewQueue(review_queue_path(self.store.location), read_only=True)


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Writable]:
    root = tmp_path_factory.mktemp("writable")
    store = sample_with_hostile_names(root / "store")
    files = root / "files"
    files.mkdir()
    for name in ("gov_list_merged_title.xlsx", "bad_no_header.xlsx", "bad_all_rejected.csv"):
        BUILDERS[name](files / name)
    (files / f"{DOC}.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (files / "坏文档.docx").write_bytes(b"not a zip at all")
    (files / "报告.pdf").write_bytes(b"%PDF-1.4")
    settings = Settings(store=store.location, rejects_dir=root / "rejects",
                        api_key=SecretStr(KEY))
    try:
        with serving(app_with_viewer(store, settings)) as url:
            yield Writable(url, store, files)
    finally:
        store.close()


@pytest.fixture(scope="module")
def base_url(writable: Writable) -> str:
    """The guarded page (conftest) lets through requests to this server alone."""
    return writable.url


@pytest.fixture
def page(guarded: Guarded, writable: Writable) -> Iterator[Any]:
    """A guarded page; the browser's own log line for a refused request (4xx), which each
    test here provokes on purpose, is dropped, and only that."""
    opened, seen = guarded
    yield opened
    seen.console_errors[:] = [m for m in seen.console_errors if not re.fullmatch(
        r"Failed to load resource: the server responded with a status of 4\d\d \(.*\)", m)]


def english(page: Any, selector: str) -> list[str]:
    """Latin words visible in ``selector``, outside elements holding the user's own data
    (file names, sheet names, cells, document ids: class ``data``, or a chosen option's
    value)."""
    text: str = page.eval_on_selector(selector, """root => {
        const copy = root.cloneNode(true);
        for (const data of copy.querySelectorAll('.data, script, style')) data.remove();
        // a select shows its chosen option; a document's id in it is data, like .data
        for (const select of copy.querySelectorAll('select')) {
            for (const option of [...select.options]) {
                if (!option.selected) option.remove();
                else if (option.value) option.text = option.text.replace(option.value, ''); } }
        document.body.append(copy);
        const shown = copy.innerText;
        copy.remove();
        return shown; }""")
    return [w for w in LATIN_WORD.findall(text) if not w.isupper()]


def says(page: Any, selector: str, text: str) -> None:
    """Wait until ``selector`` holds ``text`` (else fail with what it holds)."""
    try:
        page.wait_for_function("([selector, text]) => (document.querySelector(selector)"
                               "?.textContent || '').includes(text)", arg=[selector, text],
                               timeout=20_000)
    except PlaywrightTimeout:
        pytest.fail(f"{selector} never said {text!r}: {page.text_content(selector)!r}")


def open_upload(page: Any, url: str, key: str | None) -> None:
    page.goto(url + "/#upload")
    page.wait_for_selector("#upload-view:not([hidden])")
    page.wait_for_function("() => document.querySelectorAll('#upload-type option').length > 5")
    if key is not None:
        page.fill("#upload-key", key)


def dry_run(page: Any, *files: Path) -> None:
    page.set_input_files("#upload-files", [str(f) for f in files])
    page.click("#upload-dry-run")


def test_a_table_is_shown_as_read_then_loaded(page: Any, writable: Writable) -> None:
    before = writable.store.stats().entities
    firm = "浙江瓯越智能锁业有限公司"
    with pytest.raises(EntityNotFound):
        entity_named(writable.store, firm)
    open_upload(page, writable.url, KEY)
    dry_run(page, writable.files / "gov_list_merged_title.xlsx")
    page.wait_for_selector("#table-preview")
    rows = page.eval_on_selector_all("#table-preview table.mapping tbody tr", """rows =>
        rows.map(r => [...r.cells].map(c => c.textContent))""")
    meaning = {header: read_as for _, header, read_as in rows}
    assert meaning["企业名称"] == "名称（企业）"
    assert meaning["所在地区"] == "关系：位于 → 区域"
    assert meaning["所属产业"].startswith("关系：") and meaning["所属产业"].endswith("→ 产业")
    assert meaning["统一社会信用代码"] == "属性：统一社会信用代码"
    assert meaning["序号"] == "不导入（如序号）"
    shape = page.text_content("#table-preview .shape")
    assert "识别为：政府名单" in shape and "表头在第 3 行" in shape and "数据 5 行" in shape
    assert "第 1 行 标题行" in page.text_content("#table-preview .skipped")
    planned = re.search(r"将新增 (\d+) 个实体", page.text_content("#table-preview .summary"))
    assert planned and int(planned[1]) >= 4  # the five firms, one already in the sample
    assert not english(page, "#upload-view")
    screenshot(page, "upload.png", full_page=True)
    assert writable.store.stats().entities == before
    with pytest.raises(EntityNotFound):
        entity_named(writable.store, firm)
    page.click("#upload-load")
    page.wait_for_selector("#table-result")
    assert f"已新增 {planned[1]} 个实体" in page.text_content("#table-result .summary")
    assert page.locator("#upload-preview > *").count() == 0  # the dry run gave way
    assert page.is_disabled("#upload-load")  # loading again needs a new dry run
    stored = entity_named(writable.store, firm)  # an id from its credit code
    assert stored.type is EntityType.enterprise and stored.props["credit_code"] == stored.id
    assert writable.store.stats().entities == before + int(planned[1])
    assert not english(page, "#upload-view")


def test_a_document_is_previewed_then_queued(page: Any, writable: Writable) -> None:
    with writable.queue() as queue:
        assert queue.document_hash(DOC) is None
    open_upload(page, writable.url, KEY)
    dry_run(page, writable.files / f"{DOC}.txt")
    page.wait_for_selector("#document-preview")
    summary = page.text_content("#document-preview .summary")
    assert f"共 {len(SIMPLIFIED)} 字" in summary and "实体候选" in summary
    assert "甬江实验室" in page.text_content("#document-preview ul.candidates")
    assert not english(page, "#upload-view")
    with writable.queue() as queue:
        assert queue.document_hash(DOC) is None  # a dry run queues nothing
    page.click("#upload-load")
    page.wait_for_selector("#document-result")
    with writable.queue() as queue:
        queued = queue.document_candidates(DOC)
    assert len(queued) >= 10
    assert f"新增候选 {len(queued)} 项" in page.text_content("#document-result .summary")
    page.click("#document-result a.go-review")
    page.wait_for_selector("body[data-review-ready]", state="attached")
    page.wait_for_selector("#review-items tr.candidate")
    assert page.input_value("#review-doc") == DOC


@pytest.mark.parametrize(("name", "said"), [
    ("bad_no_header.xlsx", "前 30 行里找不到表头"),
    ("坏文档.docx", "「坏文档.docx」无法读取"),
    ("报告.pdf", "「报告.pdf」不是可以导入的表格或文档"),
    ("bad_all_rejected.csv", "全部 4 行都无法导入，什么也没有载入。第一处问题：bad_all_rejected.csv 第 2 行"),
])
def test_a_bad_file_is_explained_in_chinese(page: Any, writable: Writable, name: str,
                                            said: str) -> None:
    open_upload(page, writable.url, KEY)
    dry_run(page, writable.files / name)
    page.wait_for_selector("#upload-status .error")
    message = page.text_content("#upload-status .error")
    assert said in message, message
    assert not [w for w in LATIN_WORD.findall(message.replace(name, "")) if not w.isupper()]
    assert page.is_disabled("#upload-load")


def test_a_wrong_or_missing_key_is_refused_in_chinese(page: Any, writable: Writable) -> None:
    before = writable.store.stats()
    open_upload(page, writable.url, None)
    for key, said in (("wrong-key", "写入密钥不正确"), ("", "请先输入写入密钥")):
        page.fill("#upload-key", key)
        dry_run(page, writable.files / "gov_list_merged_title.xlsx")
        says(page, "#upload-status .error", said)
        assert page.is_disabled("#upload-load")
        assert page.locator("#upload-preview > *").count() == 0
    assert writable.store.stats().content_hash == before.content_hash


def _queue_document(writable: Writable, text: str, name: str) -> None:
    """A document read into the queue as POST /ingest does (through the served app)."""
    import urllib.request

    boundary = "----innograph-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n").encode() + \
        text.encode() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(writable.url + "/ingest", data=body, method="POST", headers={
        "X-API-Key": KEY, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200


def _row(page: Any, text: str) -> Any:
    """The candidate whose content (not its quoted sentence) names ``text``."""
    return page.locator("#review-items tr.candidate").filter(
        has=page.locator("td.what", has_text=text)).first


def test_review_accept_edit_reject_and_add_a_relation(page: Any, writable: Writable) -> None:
    doc = "hefei-2024"
    _queue_document(writable, SIMPLIFIED.replace("宁波", "合肥"), f"{doc}.txt")
    page.goto(writable.url + "/#" + "review&doc=" + quote(doc))
    page.wait_for_selector("body[data-review-ready]", state="attached")
    page.wait_for_selector("#review-items tr.candidate")
    page.fill("#review-key", KEY)
    # accept a relation: it and its new ends are written, citing the document and its words
    relation_row = page.locator("#review-items tr.candidate.relation", has_text="入驻").first
    relation_id_ = relation_row.get_attribute("data-id")
    # a new name is quoted with the sentence it stands in, a relation with the words read
    firm_row = _row(page, "合肥中车新能源科技有限公司")
    assert firm_row.locator("td.quote").text_content() == "「合肥中车新能源科技有限公司入驻合肥高新区。」"
    # why it was proposed: the words that triggered the relation rule
    assert "触发词「入驻」" in relation_row.locator("td.confidence .why").text_content()
    relation_row.locator("button.accept").click()
    page.wait_for_selector("#review-message .done")
    assert "已接受，写入图谱" in page.text_content("#review-message")
    with writable.queue() as queue:
        decided = queue.get(relation_id_)
    assert decided.status == "accepted" and decided.graph_id
    firm = entity_id(EntityType.enterprise, "合肥中车新能源科技有限公司")
    assert writable.store.get(firm) is not None
    [edge] = [e for e in writable.store.neighborhood(firm, depth=1).edges
              if e.id == decided.graph_id]
    # the quote is the sentence it was read in, around the words that were read
    assert edge.provenance["quote"] == decided.data["sentence"]
    assert decided.evidence in edge.provenance["quote"] and "入驻" in decided.evidence
    # edit an entity candidate (name and type), then accept it: the store has the edit
    row = _row(page, "海洋智能装备研究团队")
    row.locator("button.edit").click()
    page.fill("#review-items tr.editing input[name=canonical]", "合肥海洋装备研究团队")
    page.select_option("#review-items tr.editing select[name=type]", "talent_team")
    page.click("#review-items tr.editing button.save")
    says(page, "#review-message", "已保存")
    _row(page, "合肥海洋装备研究团队").locator("button.accept").click()
    says(page, "#review-message", "已接受")
    assert writable.store.get(entity_id(EntityType.talent_team, "合肥海洋装备研究团队"))
    assert writable.store.get(entity_id(EntityType.talent_team, "海洋智能装备研究团队")) is None
    # reject one: it stays out of the store, and the queue says rejected
    row = _row(page, "东方电气集团")
    rejected = row.get_attribute("data-id")
    row.locator("button.reject").click()
    says(page, "#review-message", "已拒绝")
    with writable.queue() as queue:
        assert queue.get(rejected).status == "rejected"
    assert writable.store.get(entity_id(EntityType.enterprise, "东方电气集团")) is None
    assert not english(page, "#review-view")
    screenshot(page, "review.png", full_page=True)
    # add a relation the extractor missed, with the sentence that says it
    said = "合肥大学与合肥材料技术研究所共建联合实验室。"
    page.click("#add-relation-box summary")
    page.select_option("#add-doc", doc)
    page.fill("#add-source", "合肥大学")
    page.select_option("#add-relation", "partnership")
    page.fill("#add-target", "合肥材料技术研究所")
    page.select_option("#add-kind", "共建")
    page.fill("#add-year", "2024")
    page.fill("#add-quote", said)
    page.click("#add-submit")
    says(page, "#review-message", "已补充关系")
    ends = (entity_id(EntityType.institute, "合肥大学"),
            entity_id(EntityType.institute, "合肥材料技术研究所"))
    added = writable.store.relations_between([(ends[0], "partnership", ends[1])])
    assert added, "the added relation is in the store"
    [stored] = added.values()
    assert stored.id == relation_id(ends[0], RelationType.partnership, ends[1])
    assert stored.props["kind"] == "共建" and stored.props["year"] == 2024
    assert stored.provenance["quote"] == said and stored.provenance["source_doc"] == doc
    # the same relation again is refused, in Chinese
    page.fill("#add-source", "合肥大学")
    page.fill("#add-target", "合肥材料技术研究所")
    page.click("#add-submit")
    page.wait_for_selector("#review-message .error")
    assert "已经补充过" in page.text_content("#review-message")
    assert not english(page, "#review-view")
    # the panel of an accepted entity shows where it was read, with its words (原文)
    page.goto(writable.url + "/#entity=" + quote(firm))
    page.wait_for_selector("#entity-name")
    page.wait_for_function("() => document.querySelectorAll('#panel table tr').length > 3")
    cells = page.eval_on_selector_all("#panel table tr", """rows =>
        rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])""")
    provenance = dict(cells)
    assert provenance["来源文件"] == doc and provenance["原文"] == "「合肥中车新能源科技有限公司入驻合肥高新区。」"
    labels = [label for label, _ in cells]
    assert labels.index("原文位置") < labels.index("原文") < labels.index("依据")


def test_a_quote_with_markup_stays_text(page: Any, writable: Writable) -> None:
    doc = "markup-2024"
    _queue_document(writable, "温州科技局工作报告。温州大学与<b>瓯江实验室</b>共建平台。", f"{doc}.txt")
    page.goto(writable.url + "/#review&status=pending&doc=" + quote(doc))
    page.wait_for_selector("body[data-review-ready]", state="attached")
    page.fill("#review-key", KEY)
    page.click("#add-relation-box summary")
    page.fill("#add-source", "温州医科大学")
    page.fill("#add-target", "瓯江实验室")
    page.fill("#add-quote", "<img src=x onerror=alert(1)>共建")
    page.click("#add-submit")
    says(page, "#review-message", "已补充关系")
    page.select_option("#review-status", "accepted")
    added = "#review-items tr.candidate.accepted.relation td.quote"
    page.wait_for_selector(added)
    assert page.locator("#review-items img").count() == 0
    assert page.text_content(added) == "「<img src=x onerror=alert(1)>共建」"


def test_partnership_choices_follow_the_ontology(page: Any, writable: Writable) -> None:
    page.goto(writable.url + "/#review")
    page.wait_for_selector("body[data-review-ready]", state="attached")
    kinds = page.eval_on_selector_all("#add-kind option", "o => o.map(x => x.value)")
    statuses = page.eval_on_selector_all("#add-status option", "o => o.map(x => x.value)")
    assert kinds[1:] == [k.value for k in PartnershipKind]
    assert statuses[1:] == [s.value for s in PartnershipStatus]
