// The entity panel: properties, aliases, provenance, what each source stated and where sources
// disagree, partners, talent-team links, paths.
import { api } from "./api.js";
import { el, clear } from "./dom.js";
import { TYPE_STYLES } from "./graph.js";
import { propLabel, provenanceRows, shown } from "./labels.js";

const NOT_ACTORS = new Set(["industry", "chain_segment", "region"]); // no partner ranking

export function badge(type, label) {
  const color = (TYPE_STYLES[type] || ["#999"])[0];
  return el("span", { class: "badge", style: `background:${color}`, text: label });
}

// a link that selects an entity (state goes to the URL hash)
export function entityLink(ref, go) {
  return el("a", { class: "entity", href: "#entity=" + encodeURIComponent(ref.id),
                   dataset: { id: ref.id }, text: ref.name,
                   onclick: (event) => { event.preventDefault(); go(ref.id); } });
}

function table(rows) {
  return el("table", {}, rows.map(([key, value]) => el("tr", {}, el("td", { text: key }), el("td", { text: value }))));
}

function section(title, ...body) {
  return [el("h3", { text: title }), ...body];
}

// 来源 and 冲突: what each source stated (GET /entities/{id}'s `sources`) and where they disagree
const KIND_LABELS = {
  table: "表格", list: "政府名单", registry: "工商登记", patent: "专利", document: "报告",
  api: "接口写入", review: "审核", reference: "参考名录",
};

const FIELD_LABELS = { type: "类型", name: "名称", aliases: "别名" };

function kindLabel(kind) {
  return KIND_LABELS[kind] || "其他来源";
}

function typeLabel(type) {
  return (TYPE_STYLES[type] || [])[2] || type;
}

// a file path, `path#sheet`, an upload's file name or `api`: what is worth a line
export function sourceName(source) {
  const text = String(source || "");
  if (!text) return "（未注明）";
  if (text === "api") return "接口";
  return text.slice(Math.max(text.lastIndexOf("/"), text.lastIndexOf("\\")) + 1) || text;
}


function fieldLabel(field) {
  return field.startsWith("props.") ? propLabel(field.slice("props.".length)) : FIELD_LABELS[field] || field;
}

function fieldValue(field, value) {
  return field === "type" ? typeLabel(value) : shown(value);
}

// what one claim says, beyond the entity it is about: its properties, other names and type
function statements(entity, claim) {
  const said = [];
  if (claim.name_raw && claim.name_raw !== entity.name) said.push(`名称：${claim.name_raw}`);
  if (claim.type && claim.type !== entity.type) said.push(`类型：${typeLabel(claim.type)}`);
  if ((claim.aliases || []).length) said.push(`别名：${claim.aliases.join("、")}`);
  for (const [key, value] of Object.entries(claim.props || {})) {
    if (value === null || value === "") continue;
    said.push(`${propLabel(key)}：${shown(value)}`);
  }
  return said.length ? said.join("；") : "仅列出该实体";
}

function sourcesSection(entity) {
  const sources = entity.sources || [];
  if (!sources.length) return [];
  return section(`来源（${sources.length}）`, el("ul", { id: "sources" }, sources.map((claim) =>
    el("li", { class: "source", title: String(claim.source || "") },
      el("span", { class: "source-name", text: sourceName(claim.source) }), " ",
      el("span", { class: "kind", text: kindLabel(claim.kind) }),
      Number.isInteger(claim.row) ? el("span", { class: "muted", text: ` 第 ${claim.row} 行` }) : null,
      el("span", { class: "why", text: statements(entity, claim) })))));
}

function conflictsSection(entity) {
  const found = entity.conflicts || [];
  if (!found.length) return [];
  return section(`冲突（${found.length}）`, el("ul", { id: "conflicts" }, found.map((conflict) =>
    el("li", { class: "conflict" },
      el("strong", { class: "field", text: fieldLabel(conflict.field) }),
      el("span", { class: "chosen", text: ` 采用：${fieldValue(conflict.field, conflict.chosen)}` }),
      el("ul", {}, (conflict.values || []).map((stated) => el("li", { class: "stated",
        title: String(stated.source || "") },
        el("span", { class: "value", text: fieldValue(conflict.field, stated.value) }),
        el("span", { class: "muted",
          text: `（${sourceName(stated.source)} · ${kindLabel(stated.kind)}）` }))))))));
}

async function partnersSection(entity, go) {
  const box = el("div", { id: "partners" }, el("p", { class: "muted", text: "计算中…" }));
  if (NOT_ACTORS.has(entity.type)) return [];
  api.partners(entity.id).then((found) => {
    const outside = found.external || [];
    clear(box, found.items.length ? el("ol", {}, found.items.map((item) => el("li", { class: "partner" },
      entityLink(item.entity, go), " ", badge(item.entity.type, item.entity.type_label),
      el("span", { class: "muted", text: ` ${item.score.toFixed(3)}` }),
      el("span", { class: "why", text: item.explanation.text }))))
      : el("p", { class: "muted", id: "why-no-partners", text: found.why_empty || "暂无推荐" }),
    ...(outside.length ? [el("h4", { text: "区外候选（全国参考名录）" }),
      el("ol", { id: "external-partners" }, outside.map((c) => el("li", { class: "partner external" },
        entityLink(c.entity, go), " ", el("span", { class: "badge external", text: "区外" }),
        el("span", { class: "muted", text: ` ${c.province || "省份未知"} · ${c.score.toFixed(2)}` }),
        el("span", { class: "why", text: c.reasons.join("；") }))))] : []));
  }).catch((error) => clear(box, el("p", { class: "error", text: error.message })));
  return section("合作伙伴推荐", box);
}

function teamSection(entity, go) {
  if (entity.type !== "talent_team") return [];
  const box = el("div", { id: "team-links" }, el("p", { class: "muted", text: "计算中…" }));
  api.teamLinks(entity.id).then((found) => {
    clear(box, found.links.length ? el("ul", {}, found.links.map((link) => el("li", {},
      entityLink(link.entity, go), " ", badge(link.entity.type, link.entity.type_label),
      el("span", { class: "why", text: `${link.hops} 跳：` +
        link.path.map((step) => step.entity.name + (step.tie ? ` —${step.tie}→ ` : "")).join("") }))))
      : el("p", { class: "muted", text: "两跳内没有可对接的机构" }));
  }).catch((error) => clear(box, el("p", { class: "error", text: error.message })));
  return section("人才团队对接", box);
}

function pathSection(entity, target, go, setTarget) {
  const input = el("input", { id: "path-target", placeholder: "目标实体的名称或 id", value: target || "" });
  const out = el("div", { id: "path-result" });
  const run = (to) => {
    if (!to) return;
    clear(out, el("p", { class: "muted", text: "查找中…" }));
    api.paths(entity.id, to).then((found) => {
      clear(out, el("p", { class: `path-note ${found.kind}`, text: found.note }),
        ...(found.paths.length ? [el("ol", {}, found.paths.map((path) => el("li", { class: "path" },
          path.hops.map((hop) => el("span", { class: "why", text: hop.text })))))] : []));
    }).catch((error) => clear(out, el("p", { class: "error", text: error.message })));
  };
  const form = el("form", { class: "path-form", onsubmit: (event) => {
    event.preventDefault(); setTarget(input.value.trim()); run(input.value.trim()); } },
    input, el("button", { type: "submit", text: "查找最短路径" }));
  run(target);
  return section("最短路径", form, out);
}

export function renderPanel(panel, entity, { go, target, setTarget }) {
  const props = Object.entries(entity.props || {}).map(([k, v]) => [propLabel(k), shown(v)]);
  const scores = Object.entries(entity.scores || {}).map(([k, v]) => [k, Number(v).toPrecision(4)]);
  const provenance = provenanceRows(entity.provenance);
  clear(panel,
    el("h2", { id: "entity-name", text: entity.name }), badge(entity.type, entity.type_label),
    entity.layer === "reference" ? el("span", { id: "layer-badge", class: "badge external", title: "只见于全国参考名录，不在本地数据中",
      text: "区外（参考名录）" }) : null,
    el("p", { class: "muted", title: "编号" }, el("code", { class: "entity-id", text: entity.id })),
    ...section("属性", props.length ? table(props) : el("p", { class: "muted", text: "无" })),
    ...(entity.aliases.length ? section("别名", el("p", { text: entity.aliases.join("、") })) : []),
    ...section("出处", provenance.length ? table(provenance) : el("p", { class: "muted", text: "无" })),
    ...sourcesSection(entity), ...conflictsSection(entity),
    ...(scores.length ? section("分析得分", table(scores)) : []));
  partnersSection(entity, go).then((nodes) => panel.append(...nodes,
    ...teamSection(entity, go), ...pathSection(entity, target, go, setTarget)));
}
