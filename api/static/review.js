// The review screen (#review&doc=…&status=…&kind=…&sort=…): candidates read from documents
// and likely matches from tables, filtered and sorted; accept, edit or reject each, and add a
// relation the extractor missed. Decisions go through the review API with the write key.
import { el, clear } from "./dom.js";
import { read, send } from "./writes.js";
import { typeLabel, relationLabel, labelled } from "./labels.js";
import { badge } from "./panels.js";

const STATUSES = { pending: "待审核", accepted: "已接受", rejected: "已拒绝", obsolete: "已过时" };
const KINDS = { "": "全部类别", entity: "实体", relation: "关系", match: "疑似同一实体" };
const SORTS = { confidence: "置信度从高到低", position: "按文档中的位置" };
// partnership details, as the ontology lists them (schema.types)
const PARTNERSHIP_KINDS = ["校地合作", "共建", "战略合作", "联合申报", "创新联合体", "技术合作", "合作"];
const PARTNERSHIP_STATUSES = ["签约", "建设中", "落地", "投产", "运营"];
const LIMIT = 500;

const $ = (id) => document.getElementById(id);
let onState = () => {}; // writes the filters into the URL (viewer.js owns the hash)

function say(text, kind = "") {
  clear($("review-message"), ...(text ? [el("p", { class: kind, text })] : []));
}

function options(select, entries, chosen) {
  clear(select, ...entries.map(([value, text]) => el("option", { value, text, selected: value === chosen })));
}

function select(entries, chosen, props = {}) {
  const node = el("select", props);
  options(node, entries, chosen);
  return node;
}

function content(candidate) {
  const data = candidate.data;
  if (candidate.kind === "entity") {
    return el("span", {}, badge(data.type, typeLabel(data.type)), " ",
      el("strong", { class: "data name", text: data.canonical }),
      data.name !== data.canonical ? el("span", { class: "muted" }, "（原文写作「", el("span", { class: "data", text: data.name }), "」）") : null);
  }
  if (candidate.kind === "match") {
    return el("span", {}, "「", el("span", { class: "data", text: data.incoming.name }), `」（第 ${candidate.start} 行）可能就是图谱中的「`,
      el("span", { class: "data", text: data.existing.name }), "」");
  }
  const details = [data.kind, data.status, data.year].filter((v) => v !== null && v !== undefined && v !== "");
  return el("span", {}, el("strong", { class: "data", text: data.source.canonical }),
    ` —${relationLabel(data.relation)}${details.length ? `（${details.join("，")}）` : ""}→ `,
    el("strong", { class: "data", text: data.target.canonical }),
    data.endpoint_problem ? el("span", { class: "error problem", text: "（两端的实体类型不适用这种关系，请修改或拒绝）" }) : null,
    data.added ? el("span", { class: "muted", text: "（审核时补充）" }) : null);
}

function decisionText(decision) {
  if (decision.status === "rejected") return "已拒绝。";
  if (decision.merged_from) return `已合并：${decision.relations_moved} 条关系随之转到图谱中已有的实体。`;
  return decision.created ? "已接受，写入图谱。" : "已接受；图谱中已有，本文档已加入它的来源。";
}

function editForm(candidate, done) {
  const data = candidate.data;
  const fields = candidate.kind === "entity"
    ? [el("label", {}, "名称 ", el("input", { name: "canonical", value: data.canonical, maxlength: 200, required: true })),
       el("label", {}, "类型 ", select(labelled("types"), data.type, { name: "type" }))]
    : [el("label", {}, "关系 ", select(labelled("relations"), data.relation, { name: "relation" })),
       el("label", {}, "合作方式 ", select([["", "（不填）"], ...PARTNERSHIP_KINDS.map((k) => [k, k])], data.kind || "", { name: "kind" })),
       el("label", {}, "进展 ", select([["", "（不填）"], ...PARTNERSHIP_STATUSES.map((k) => [k, k])], data.status || "", { name: "status" })),
       el("label", {}, "年份 ", el("input", { name: "year", type: "number", min: 1800, max: 2100, value: data.year ?? "" }))];
  const form = el("form", { class: "edit-form", onsubmit: async (event) => {
    event.preventDefault();
    const changes = {};
    for (const [key, value] of new FormData(form)) {
      if (value === "") continue;
      changes[key] = key === "year" ? Number(value) : value;
    }
    if (changes.relation && changes.relation !== "partnership") for (const k of ["kind", "status", "year"]) delete changes[k];
    try {
      await send("POST", `/review/${candidate.id}/edit`, { json: changes });
      done("已保存修改。");
    } catch (error) { say(error.message, "error"); }
  } }, fields, el("button", { type: "submit", class: "save", text: "保存修改" }),
  el("button", { type: "button", text: "取消", onclick: () => form.closest("tr").remove() }));
  return form;
}

// the words a candidate was read from: a relation's span; for a new name, the sentence it
// stands in (its own span would only repeat it); nothing for a table's match
function quoteOf(candidate) {
  if (candidate.kind === "match" || !candidate.evidence) return "";
  if (candidate.kind !== "entity") return candidate.evidence;
  if (candidate.data.sentence) return candidate.data.sentence;
  return [candidate.data.name, candidate.data.canonical].includes(candidate.evidence) ? "" : candidate.evidence;
}

// why the extractor proposed it: who read the name (second reader on), or a relation's trigger
function why(candidate) {
  const data = candidate.data || {};
  if (data.explanation) return data.explanation;
  return candidate.kind === "relation" && data.trigger ? `触发词「${data.trigger}」` : "";
}

function row(candidate, refresh) {
  const decide = (action) => async () => {
    try {
      const decision = await send("POST", `/review/${candidate.id}/${action}`, action === "reject" ? { json: {} } : {});
      await refresh(decisionText(decision));
    } catch (error) { say(error.message, "error"); }
  };
  const pending = candidate.status === "pending";
  const line = el("tr", { class: `candidate ${candidate.kind} ${candidate.status}`, dataset: { id: candidate.id } },
    el("td", { text: KINDS[candidate.kind] }),
    el("td", { class: "what" }, content(candidate)),
    el("td", { class: "quote" }, quoteOf(candidate) ? el("span", { class: "data", text: `「${quoteOf(candidate)}」` }) : ""),
    el("td", {}, el("span", { class: "data", text: candidate.doc_id }),
      candidate.section ? el("span", { class: "muted" }, " · ", el("span", { class: "data", text: candidate.section })) : null),
    el("td", { class: "confidence" }, candidate.confidence.toFixed(2),
      why(candidate) ? el("div", { class: "muted why", text: why(candidate) }) : null),
    el("td", { class: "status", text: STATUSES[candidate.status] }),
    el("td", { class: "actions" }, pending ? [
      el("button", { type: "button", class: "accept", text: "接受", onclick: decide("accept") }),
      candidate.kind !== "match" ? el("button", { type: "button", class: "edit", text: "修改", onclick: () => {
        if (line.nextElementSibling?.classList.contains("editing")) return;
        line.after(el("tr", { class: "editing" }, el("td", { colspan: 7 }, editForm(candidate, refresh))));
      } }) : null,
      el("button", { type: "button", class: "reject", text: "拒绝", onclick: decide("reject") })]
      : candidate.graph_id && !candidate.graph_id.startsWith("rel:")
        ? el("a", { class: "entity", href: "#" + new URLSearchParams({ entity: candidate.graph_id }), text: "在图谱中查看" }) : null));
  return line;
}

function sorted(items, by) {
  if (by !== "position") return items; // the API's order: kind by kind, confidence first
  return [...items].sort((a, b) => a.doc_id.localeCompare(b.doc_id) || a.start - b.start);
}

async function showList(state) {
  const refresh = async (message) => { await showList(state); if (message) say(message, "done"); };
  const found = await read("/review", { status: state.status, doc: state.doc, kind: state.kind, limit: LIMIT });
  const counts = Object.entries(STATUSES).map(([key, label]) => `${label} ${found.counts[key] || 0}`).join("，");
  $("review-counts").textContent = `全部文档合计：${counts}。本页列出 ${found.items.length} 项` +
    (found.items.length === LIMIT ? `（只列出前 ${LIMIT} 项，请按文档或类别筛选）。` : "。");
  clear($("review-items"), ...(found.items.length ? sorted(found.items, state.sort).map((c) => row(c, refresh))
    : [el("tr", {}, el("td", { colspan: 7, class: "muted", text: "没有符合条件的候选项。" }))]));
}

async function showDocuments(state) {
  const found = await read("/review/documents");
  const entries = found.items.map((d) => [d.doc, `${d.doc}（待审核 ${d.counts.pending || 0}）`]);
  options($("review-doc"), [["", "全部文档"], ...entries], state.doc);
  options($("add-doc"), entries, state.doc || entries[0]?.[0] || "");
}

function filters() {
  return { doc: $("review-doc").value, status: $("review-status").value, kind: $("review-kind").value,
    sort: $("review-sort").value };
}

// the review screen for the URL's filters
export async function showReview(params) {
  const state = { doc: params.get("doc") || "", status: params.get("status") || "pending",
    kind: params.get("kind") || "", sort: params.get("sort") || "confidence" };
  options($("review-status"), Object.entries(STATUSES), state.status);
  options($("review-kind"), Object.entries(KINDS), state.kind);
  options($("review-sort"), Object.entries(SORTS), state.sort);
  try {
    await showDocuments(state);
    await showList(state);
  } catch (error) { say(error.message, "error"); }
  document.body.dataset.reviewReady = "1";
}

async function addRelation(event) {
  event.preventDefault();
  const form = $("add-relation-form");
  const body = {};
  for (const [key, value] of new FormData(form)) {
    if (String(value).trim() === "") continue;
    body[key] = key === "year" ? Number(value) : String(value).trim();
  }
  if (body.relation !== "partnership") for (const k of ["kind", "status", "year"]) delete body[k];
  try {
    const added = await send("POST", "/review/relations", { json: body });
    const decision = await send("POST", `/review/${added.id}/accept`);
    form.reset();
    await showList(filters());
    say(`已补充关系：${decisionText(decision)}`, "done");
  } catch (error) { say(error.message, "error"); await showList(filters()).catch(() => {}); }
}

export function setUpReview(setState) {
  onState = setState;
  for (const id of ["review-doc", "review-status", "review-kind", "review-sort"]) {
    $(id).addEventListener("change", () => onState(filters()));
  }
  const relations = $("add-relation");
  options(relations, labelled("relations"), "partnership");
  options($("add-kind"), [["", "（不填）"], ...PARTNERSHIP_KINDS.map((k) => [k, k])], "");
  options($("add-status"), [["", "（不填）"], ...PARTNERSHIP_STATUSES.map((k) => [k, k])], "");
  $("add-relation-form").addEventListener("submit", addRelation);
}
