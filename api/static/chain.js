// The industry-chain map: segments as columns upstream → downstream, members by type,
// gaps marked; a gap opens its recommended candidates with their explanations.
import { api } from "./api.js";
import { el, clear } from "./dom.js";
import { badge, entityLink } from "./panels.js";

const STAGE = { upstream: "上游", midstream: "中游", downstream: "下游" };
const STAGE_ORDER = { upstream: 0, midstream: 1, downstream: 2 };

function grouped(members) {
  const groups = new Map();
  for (const member of members) {
    const key = member.entity.type_label;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(member);
  }
  return [...groups.entries()];
}

function candidates(segment, go) {
  const outside = segment.external || [];
  return [el("h2", { text: `${segment.segment.name}：补链候选` }),
    el("h3", { text: "本地候选" }),
    segment.candidates.length ? el("ol", {}, segment.candidates.map((c) => el("li", { class: "candidate" },
      entityLink(c.entity, go), " ", badge(c.entity.type, c.entity.type_label),
      el("span", { class: "muted", text: ` 得分 ${c.score.toFixed(3)}` }),
      el("span", { class: "why", text: c.explanation.text }))))
      : el("p", { class: "muted", text: "没有合适的候选" }),
    el("h3", { text: "区外候选（全国参考名录）" }),
    outside.length ? el("ol", { id: "external-candidates" }, outside.map((c) => el("li", { class: "candidate external" },
      entityLink(c.entity, go), " ", el("span", { class: "badge external", text: "区外" }),
      el("span", { class: "muted", text: ` ${c.province || "省份未知"} · 得分 ${c.score.toFixed(2)}` }),
      el("span", { class: "why", text: c.reasons.join("；") }),
      c.unknown.length ? el("span", { class: "muted", text: `未知：${c.unknown.join("；")}` }) : null)))
      : el("p", { class: "muted", text: "未载入参考名录，或其中没有学科与此环节对应的机构（innograph ingest --reference data/reference）" })];
}

function regionName(view, region) {
  const option = [...view.querySelector("#chain-region").options].find((o) => o.value === region);
  return option ? option.textContent : region;
}

// an industry without segments: no map to draw; its members, and what a map needs
export async function renderMembers(view, industry, go, region) {
  const found = await api.members(industry.id, region);
  view.querySelector("#chain-title").textContent = `${industry.name}：尚未划分产业链环节`;
  view.querySelector("#chain-summary").textContent =
    `画产业链图谱需要该产业的环节（产业链环节，属于${industry.name}，带顺序与上中下游位置）及环节之间的供给关系；` +
    `现有 ${found.items.length} 个成员${region ? `（只计 ${regionName(view, region)}）` : ""}如下。`;
  clear(view.querySelector("#gap-detail"));
  clear(view.querySelector("#chain-columns"), el("ul", { id: "industry-members" },
    found.items.map((e) => el("li", {}, entityLink(e, go), " ", badge(e.type, e.type_label)))));
}

// ``region``: only that region's members count (the API's region filter), or all
export async function renderChain(view, industryId, openGap, { go, setGap, region }) {
  const report = await api.chain(industryId, region);
  const segments = [...report.segments].sort((a, b) =>
    (STAGE_ORDER[a.stage] ?? 1) - (STAGE_ORDER[b.stage] ?? 1) || a.order - b.order);
  view.querySelector("#chain-title").textContent = `${report.industry.name}产业链图谱`;
  view.querySelector("#chain-summary").textContent =
    (region ? `只计 ${regionName(view, region)} 的成员：` : "") +
    `${segments.length} 个环节，缺失 ${report.gaps.length} 个，薄弱 ${report.weak.length} 个。点击缺失环节查看补链候选。`;
  const detail = view.querySelector("#gap-detail");
  clear(detail);
  const columns = [];
  segments.forEach((segment, index) => {
    if (index) columns.push(el("span", { class: "arrow", "aria-hidden": "true", text: "→" }));
    const status = segment.status === "缺失" ? "gap" : segment.status === "薄弱" ? "weak" : "";
    const open = () => { setGap(segment.segment.id); clear(detail, ...candidates(segment, go)); };
    columns.push(el("div", { class: `segment ${status}`, dataset: { id: segment.segment.id } },
      el("h2", {}, entityLink(segment.segment, go)),
      el("div", { class: "stage", text: `${STAGE[segment.stage] || segment.stage} · 第 ${segment.order} 环` }),
      segment.status ? el("div", { class: "status", text: segment.status }) : null,
      grouped(segment.members).map(([label, members]) => [el("h3", { text: `${label}（${members.length}）` }),
        el("ul", {}, members.map((m) => el("li", {}, entityLink(m.entity, go))))]),
      segment.candidates.length || (segment.external || []).length ? el("button", { type: "button",
        class: "show-candidates", onclick: open,
        text: `补链候选（${segment.candidates.length} 本地 · ${(segment.external || []).length} 区外）` }) : null));
    if (openGap === segment.segment.id) open();
  });
  clear(view.querySelector("#chain-columns"), ...columns);
  return report;
}
