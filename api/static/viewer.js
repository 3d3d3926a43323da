// The viewer's state lives in the URL hash, so every view can be shared as a link:
//   #entity=<id>&depth=2&type=park&type=institute&x=<expanded id>&to=<path target>
//   #chain=<industry id>&gap=<segment id>
import { api } from "./api.js";
import { el, clear } from "./dom.js";
import { NeighborhoodGraph, TYPE_STYLES } from "./graph.js";
import { renderPanel, badge } from "./panels.js";
import { renderChain, renderMembers } from "./chain.js";
import { setLabels } from "./labels.js";
import { exportPNG, exportCSV } from "./export.js";
import { setUpUpload } from "./upload.js";
import { setUpReview, showReview } from "./review.js";
import { bindKeyInputs } from "./writes.js";

const $ = (id) => document.getElementById(id);
const MATCHED_ON = { alias: "别名", pinyin: "拼音", initials: "首字母", fuzzy: "近似", traditional: "繁体",
  abbreviation: "简称", name: "名称" };
let graph = null;
const industries = new Map(); // id -> { industry, segments } from GET /industries
let shown = null; // the state the entity view currently shows

function readState() {
  return new URLSearchParams(location.hash.slice(1));
}

// change the state quietly (no reload): expansions, path targets, an opened gap
function patchState(change) {
  const state = readState();
  change(state);
  history.replaceState(null, "", "#" + state.toString());
}

function go(id) {
  location.hash = new URLSearchParams({ entity: id, depth: $("depth").value }).toString();
}

function showOnly(name) {
  for (const view of ["home-view", "entity-view", "chain-view", "upload-view", "review-view"]) $(view).hidden = view !== name;
  $("nav-upload").classList.toggle("current", name === "upload-view");
  $("nav-review").classList.toggle("current", name === "review-view");
}

function reportError(error) {
  $("graph-status").textContent = "";
  $("graph-status").append(el("span", { class: "error", text: error.message }));
}

async function showEntity(state) {
  showOnly("entity-view");
  const id = state.get("entity");
  const depth = state.get("depth") || "1";
  const types = state.getAll("type");
  const external = state.get("ext") !== "0";
  $("depth").value = depth;
  $("show-external").checked = external;
  for (const box of $("type-filter").querySelectorAll("input")) box.checked = !types.length || types.includes(box.value);
  const key = JSON.stringify([id, depth, types, external]);
  if (shown !== key) document.body.dataset.graphReady = ""; // not ready until redrawn
  const entity = await api.entity(id);
  document.title = `${entity.name} · 温州创新生态知识图谱`;
  renderPanel($("panel"), entity, { go, target: state.get("to"),
    setTarget: (to) => patchState((s) => s.set("to", to)) });
  if (shown === key) return;
  shown = key;
  graph = graph || new NeighborhoodGraph($("graph"), {
    onSelect: select, onRecenter: go, onStatus: (text) => { $("graph-status").textContent = text; } });
  const kept = (found) => external ? found : withoutExternal(found, id);
  await graph.show(kept(await api.neighborhood(id, depth, types)));
  for (const extra of state.getAll("x")) await graph.add(kept(await api.neighborhood(extra, 1, types)));
  markReady();
}

// 显示区外机构 off: organisations only the national reference lists know are left out (the
// entity asked for stays, even when it is one of them)
function withoutExternal(found, keep) {
  const nodes = found.nodes.filter((n) => n.layer !== "reference" || n.id === keep);
  const ids = new Set(nodes.map((n) => n.id));
  return { ...found, nodes, edges: found.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

// the whole view is drawn (root and expansions): tests and the bench wait for this mark
function markReady() {
  document.body.dataset.graphReady = String(graph.nodes.length);
}

// a click: the entity goes to the panel and its neighbours join the graph
async function select(id) {
  document.body.dataset.graphReady = "";
  patchState((s) => { if (!s.getAll("x").includes(id) && s.get("entity") !== id) s.append("x", id); });
  const state = readState();
  const [entity, everything] = await Promise.all([api.entity(id), api.neighborhood(id, 1, state.getAll("type"))]);
  const found = state.get("ext") === "0" ? withoutExternal(everything, id) : everything;
  renderPanel($("panel"), entity, { go, target: state.get("to"),
    setTarget: (to) => patchState((s) => s.set("to", to)) });
  await graph.add(found);
  markReady();
}

async function route() {
  const state = readState();
  try {
    if (state.get("entity")) return await showEntity(state);
    shown = null;
    if (state.has("upload")) return showOnly("upload-view");
    if (state.has("review")) {
      showOnly("review-view");
      return await showReview(state);
    }
    if (state.get("chain")) {
      showOnly("chain-view");
      $("industries").value = state.get("chain");
      $("chain-region").value = state.get("region") || "";
      const listed = industries.get(state.get("chain"));
      if (listed && !listed.segments) return await renderMembers($("chain-view"), listed.industry, go, state.get("region") || "");
      return await renderChain($("chain-view"), state.get("chain"), state.get("gap"),
        { go, setGap: (gap) => patchState((s) => s.set("gap", gap)), region: state.get("region") || "" });
    }
    showOnly("home-view");
  } catch (error) {
    reportError(error);
    if (state.get("chain")) {  // no map of another industry may stay under the message
      $("chain-title").textContent = "产业链图谱";
      clear($("chain-columns"));
      clear($("gap-detail"));
    }
    const view = state.get("chain") ? $("chain-summary") : $("panel");
    clear(view, el("p", { class: "error", text: error.message }));
  }
}

function setUpSearch() {
  const input = $("q");
  const list = $("results");
  let timer = 0;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      asked = q;
      if (!q) { list.hidden = true; return; }
      const found = await api.search(q).catch((error) => ({ items: [], error }));
      if (q !== asked) return; // a later keystroke won
      clear(list, ...found.items.map((item) => el("li", { role: "option", class: "result", dataset: { id: item.id },
        onclick: () => { list.hidden = true; input.value = item.name; go(item.id); } },
        badge(item.type, item.type_label), el("span", { text: item.name }),
        el("span", { class: "muted", text: item.matched_on === "name" ? ""
          : `（${MATCHED_ON[item.matched_on] || "匹配"}：${item.matched_text}）` }))));
      if (!found.items.length) list.append(el("li", { class: "muted", text: found.error ? found.error.message : "没有找到" }));
      list.hidden = false;
    }, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") list.querySelector("li.result")?.click();
    if (event.key === "Escape") list.hidden = true;
  });
}

function setUpToolbar() {
  for (const [type, [color, , label]] of Object.entries(TYPE_STYLES)) {
    $("type-filter").append(el("label", {}, el("input", { type: "checkbox", value: type, checked: true }),
      el("span", { class: "badge", style: `background:${color}`, text: label })));
  }
  const reload = () => {
    const state = readState();
    const boxes = [...$("type-filter").querySelectorAll("input")];
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    const next = new URLSearchParams({ entity: state.get("entity"), depth: $("depth").value });
    if (!$("show-external").checked) next.set("ext", "0");
    if (chosen.length < boxes.length) for (const type of chosen) next.append("type", type);
    location.hash = next.toString();
  };
  $("depth").addEventListener("change", reload);
  $("type-filter").addEventListener("change", reload);
  $("show-external").addEventListener("change", reload);
  const name = () => (readState().get("entity") || "graph").replace(/[^\p{L}\p{N}_-]+/gu, "_");
  $("export-png").addEventListener("click", () => graph && exportPNG(graph.canvas(), name()));
  $("export-csv").addEventListener("click", () => graph && exportCSV(graph.listed(), name()));
}

async function setUpIndustries() {
  const listed = await api.industries();
  for (const item of listed) {
    industries.set(item.industry.id, item);
    $("industries").append(el("option", { value: item.industry.id, text: `${item.industry.name}（${item.segments} 环节）` }));
    $("home-industries").append(el("li", {}, el("a", { href: "#" + new URLSearchParams({ chain: item.industry.id }),
      text: `${item.industry.name}产业链` })));
  }
  $("industries").addEventListener("change", (event) => {
    if (event.target.value) location.hash = new URLSearchParams({ chain: event.target.value }).toString();
  });
  // the chain map's region filter: its regions, and a change redraws the map for one of them
  const regions = await api.regions();
  for (const region of regions.items) $("chain-region").append(el("option", { value: region.id, text: region.name }));
  $("chain-region").addEventListener("change", (event) => {
    const state = new URLSearchParams({ chain: readState().get("chain") || "" });
    if (event.target.value) state.set("region", event.target.value);
    location.hash = state.toString();
  });
}

setUpSearch();
setUpToolbar();
window.addEventListener("hashchange", route);
// the Chinese labels first (a failure leaves the built-in ones), then the first view
api.labels().then(setLabels, () => {}).finally(() => {
  setUpUpload();
  setUpReview((filters) => { location.hash = "review&" + new URLSearchParams(filters).toString(); });
  bindKeyInputs();
  setUpIndustries().then(route, reportError);
});
