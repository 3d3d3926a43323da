// The entity panel: properties, aliases, provenance, partners, talent-team links, paths.
import { api } from "./api.js";
import { el, clear } from "./dom.js";
import { TYPE_STYLES } from "./graph.js";

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

async function partnersSection(entity, go) {
  const box = el("div", { id: "partners" }, el("p", { class: "muted", text: "计算中…" }));
  if (NOT_ACTORS.has(entity.type)) return [];
  api.partners(entity.id).then((found) => {
    clear(box, found.items.length ? el("ol", {}, found.items.map((item) => el("li", { class: "partner" },
      entityLink(item.entity, go), " ", badge(item.entity.type, item.entity.type_label),
      el("span", { class: "muted", text: ` ${item.score.toFixed(3)}` }),
      el("span", { class: "why", text: item.explanation.text }))))
      : el("p", { class: "muted", text: "暂无推荐" }));
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
      clear(out, found.paths.length ? el("ol", {}, found.paths.map((path) => el("li", { class: "path" },
        path.hops.map((hop) => el("span", { class: "why", text: hop.text })))))
        : el("p", { class: "muted", text: "在跳数上限内没有路径" }));
    }).catch((error) => clear(out, el("p", { class: "error", text: error.message })));
  };
  const form = el("form", { class: "path-form", onsubmit: (event) => {
    event.preventDefault(); setTarget(input.value.trim()); run(input.value.trim()); } },
    input, el("button", { type: "submit", text: "查找最短路径" }));
  run(target);
  return section("最短路径", form, out);
}

export function renderPanel(panel, entity, { go, target, setTarget }) {
  const props = Object.entries(entity.props || {}).map(([k, v]) => [k, String(v)]);
  const scores = Object.entries(entity.scores || {}).map(([k, v]) => [k, Number(v).toPrecision(4)]);
  const provenance = Object.entries(entity.provenance || {});
  clear(panel,
    el("h2", { id: "entity-name", text: entity.name }), badge(entity.type, entity.type_label),
    el("p", { class: "muted", text: entity.id }),
    ...section("属性", props.length ? table(props) : el("p", { class: "muted", text: "无" })),
    ...(entity.aliases.length ? section("别名", el("p", { text: entity.aliases.join("、") })) : []),
    ...section("出处", provenance.length ? table(provenance) : el("p", { class: "muted", text: "无" })),
    ...(scores.length ? section("分析得分", table(scores)) : []));
  partnersSection(entity, go).then((nodes) => panel.append(...nodes,
    ...teamSection(entity, go), ...pathSection(entity, target, go, setTarget)));
}
