// The neighbourhood graph: vis-network over the API's nodes and edges, expanded by click.
// Colours and shapes match viz/style.py (the pyvis pages). Nodes are placed by layout.js
// (rings by hop, sectors by type; no physics, so the same graph always looks the same) and
// labels by declutter.js (no two drawn labels overlap; hidden ones show on hover).
import { provenanceRows } from "./labels.js";
import { ringLayout } from "./layout.js";
import { edgeBox, nodeBoxes, placeLabels, textMeasurer } from "./declutter.js";
import { renderLegend } from "./legend.js";

export const TYPE_STYLES = {
  institute: ["#1f77b4", "dot", "科研机构"], enterprise: ["#ff7f0e", "square", "企业"],
  talent_team: ["#2ca02c", "triangle", "人才团队"], person: ["#98df8a", "triangleDown", "人物"],
  incubator: ["#9467bd", "diamond", "孵化载体"], fund: ["#e6b800", "star", "基金与金融产品"],
  platform: ["#17becf", "hexagon", "创新平台"], park: ["#8c564b", "diamond", "园区"],
  industry: ["#d62728", "ellipse", "产业"], chain_segment: ["#ff9896", "box", "产业链环节"],
  region: ["#7f7f7f", "database", "区域"], government: ["#bcbd22", "square", "政府部门"],
};
const FACE = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif';
const NODE_FONT = 14;
const EDGE_FONT = 11;
const MAX_SPACING = 3; // the rings spread at most this much to make room for labels
const STROKE = { strokeWidth: 3, strokeColor: "#ffffff" }; // a halo keeps text readable over edges
const measureNode = textMeasurer(`${NODE_FONT}px ${FACE}`);
const measureEdge = textMeasurer(`${EDGE_FONT}px ${FACE}`);

const WRAP = 9; // a longer name is drawn on lines of at most this many characters, about even
const MANY = 30; // with more nodes, only the focus's relations are named (the rest on hover)

// a long name on lines of about equal length, so that labels stay compact (the hover title
// keeps the name whole); a run of Latin letters or digits (CDMO, 5G) is never split
export function wrapped(name, suffix = "") {
  const chars = [...name];
  const count = Math.ceil(chars.length / WRAP);
  const allowed = []; // where a line may break: not inside a Latin or digit run
  for (let at = 1; at < chars.length; at += 1) {
    if (!/[A-Za-z0-9]/.test(chars[at - 1]) || !/[A-Za-z0-9]/.test(chars[at])) allowed.push(at);
  }
  const breaks = [0];
  for (let line = 1; line < count; line += 1) {
    const wanted = Math.round((line * chars.length) / count);
    const after = allowed.filter((at) => at > breaks[breaks.length - 1]);
    if (!after.length) break;
    breaks.push(after.reduce((best, at) => (Math.abs(at - wanted) < Math.abs(best - wanted) ? at : best)));
  }
  breaks.push(chars.length);
  return breaks.slice(1).map((end, i) => chars.slice(breaks[i], end).join("")).join("\n") + suffix;
}

function nodeOf(entity, center) {
  const [color, shape] = TYPE_STYLES[entity.type] || ["#999", "dot"];
  // a string title is shown by vis-network as text, never parsed as markup
  const external = entity.layer === "reference";
  return { id: entity.id, text: wrapped(entity.name, external ? "（区外）" : ""), color, shape,
           size: entity.id === center ? 20 : 12, borderWidth: entity.id === center ? 4 : external ? 3 : 1,
           shapeProperties: { borderDashes: external ? [4, 3] : false },
           title: `${entity.name}\n类型：${entity.type_label}${external ? "\n区外机构（全国参考名录）" : ""}`
             + `\n编号：${entity.id}`, type: entity.type, layer: entity.layer || "local",
           name: entity.name, type_label: entity.type_label, community: entity.community };
}

export function edgeOf(relation) {
  const details = ["kind", "status", "year"].filter((k) => k in relation.props)
    .map((k) => relation.props[k]);
  const source = provenanceRows(relation.provenance).map(([k, v]) => `${k}：${v}`).join("，");
  return { id: relation.id, from: relation.source, to: relation.target, text: relation.type_label,
           arrows: "to", title: [relation.type_label + (details.length ? `（${details.join("，")}）` : ""),
                                 source ? `出处：${source}` : ""].filter(Boolean).join("\n") };
}

// vis-network keeps an edge's label once set, so a hidden one is drawn at size 0 (not drawn)
const edgeLabel = (edge, shown) => ({ label: edge.text, font: { size: shown ? EDGE_FONT : 0 } });

// grouped by community when the API gives one, else by entity type
const groupOf = (node) => (node.community !== undefined && node.community !== null
  ? `community:${node.community}` : node.type);

// positions and labels for the whole graph: the focus (the selected node) and its neighbours
// must be readable; the rings spread until they are, within MAX_SPACING
export function arrange(nodes, edges, { root, focus }) {
  const near = new Set([focus]);
  for (const { from, to } of edges) {
    if (from === focus) near.add(to);
    if (to === focus) near.add(from);
  }
  let spacing = 1;
  for (;;) {
    const positions = ringLayout(nodes, edges, { root, groupOf, groupOrder: Object.keys(TYPE_STYLES),
                                                    spacing, roomy: near });
    const placed = labelsFor(nodes, edges, positions, near, focus);
    if (!placed.crowded || spacing >= MAX_SPACING) return { positions, ...placed, spacing };
    spacing = Math.min(MAX_SPACING, spacing * 1.2);
  }
}

// the order names are placed in (each kind's names then by fewest spots, ring, id): what must
// be read first gets its spot first
const PRIORITY = { focus: 0, neighbour: 1, focusRelation: 2, other: 3, otherRelation: 4 };

function labelsFor(nodes, edges, positions, near, focus) {
  const bodies = new Map();
  const candidates = [];
  for (const node of nodes) {
    const at = positions.get(node.id);
    const { body, spots } = nodeBoxes({ label: node.text, shape: node.shape, size: node.size }, at,
      measureNode, NODE_FONT);
    bodies.set(node.id, body);
    const kind = node.id === focus ? "focus" : near.has(node.id) ? "neighbour" : "other";
    // among equals the most constrained first: a name inside its shape cannot move
    candidates.push({ id: node.id, spots, must: near.has(node.id), owners: [node.id],
                      rank: [PRIORITY[kind], spots.length, at.ring] });
  }
  for (const edge of edges) {
    const [from, to] = [positions.get(edge.from), positions.get(edge.to)];
    const kind = edge.from === focus || edge.to === focus ? "focusRelation" : "otherRelation";
    if (kind === "otherRelation" && nodes.length > MANY) continue;
    candidates.push({ id: edge.id, owners: [edge.from, edge.to], must: false,
                      spots: [{ box: edgeBox(edge.text, from, to, measureEdge, EDGE_FONT), vadjust: 0 }],
                      rank: [PRIORITY[kind], 1, Math.max(from.ring, to.ring)] });
  }
  const byRank = (a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2]
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return placeLabels(candidates.sort(byRank), bodies);
}

export class NeighborhoodGraph {
  constructor(container, { onSelect, onRecenter, onStatus }) {
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.onStatus = onStatus;
    this.legend = document.getElementById("graph-legend");
    this.network = new vis.Network(container, { nodes: this.nodes, edges: this.edges }, {
      interaction: { hover: true, tooltipDelay: 120 },
      edges: { font: { size: EDGE_FONT, face: FACE, align: "horizontal", ...STROKE }, smooth: false,
               arrows: { to: { scaleFactor: 0.5 } }, labelHighlightBold: false, color: { color: "#b8c2cc", highlight: "#5a6b7b", hover: "#5a6b7b" } },
      nodes: { font: { size: NODE_FONT, face: FACE, ...STROKE }, labelHighlightBold: false },
      physics: { enabled: false }, layout: { improvedLayout: false },
    });
    this.network.on("click", (params) => { if (params.nodes.length) onSelect(params.nodes[0]); });
    this.network.on("doubleClick", (params) => { if (params.nodes.length) onRecenter(params.nodes[0]); });
    // a hidden label shows while the pointer is on its node or edge; a selected one is not made
    // bold (above): bold text is wider than the box it was placed in
    this.network.on("hoverNode", ({ node }) => this.reveal(this.nodes, node, true));
    this.network.on("blurNode", ({ node }) => this.reveal(this.nodes, node, false));
    this.network.on("hoverEdge", ({ edge }) => this.reveal(this.edges, edge, true));
    this.network.on("blurEdge", ({ edge }) => this.reveal(this.edges, edge, false));
    window.innographGraph = this; // the browser tests and the bench read the drawn state
  }

  // replace the graph with one neighbourhood; resolves when drawn
  show(neighborhood) {
    this.nodes.clear();
    this.edges.clear();
    this.center = neighborhood.center;
    return this.add(neighborhood);
  }

  // merge a neighbourhood into the graph (expand by click); its centre becomes the focus,
  // whose neighbours' labels are kept readable
  async add(neighborhood) {
    const incoming = neighborhood.nodes.map((n) => nodeOf(n, this.center));
    const nodes = new Map(this.nodes.get().map((n) => [n.id, n]));
    for (const node of incoming) nodes.set(node.id, { ...nodes.get(node.id), ...node });
    const edges = new Map(this.edges.get().map((e) => [e.id, e]));
    for (const relation of neighborhood.edges) {
      if (nodes.has(relation.source) && nodes.has(relation.target)) edges.set(relation.id, edgeOf(relation));
    }
    this.focus = nodes.has(neighborhood.center) ? neighborhood.center : this.center;
    this.truncated = neighborhood.truncated;
    const placed = arrange([...nodes.values()], [...edges.values()], { root: this.center, focus: this.focus });
    this.placed = placed;
    this.nodes.update([...nodes.values()].map((node) => {
      const spot = placed.chosen.get(node.id);
      const { x, y } = placed.positions.get(node.id);
      return { ...node, x, y, label: spot ? node.text : "", font: { vadjust: spot ? spot.vadjust : 0 } };
    }));
    this.edges.update([...edges.values()].map((edge) => ({ ...edge, ...edgeLabel(edge, placed.chosen.has(edge.id)) })));
    if (this.legend) await renderLegend(this.legend, [...nodes.values()], TYPE_STYLES);
    return this.drawn();
  }

  reveal(data, id, on) {
    const item = data.get(id);
    if (!item || !this.placed || this.placed.chosen.has(id)) return;
    data.update(data === this.nodes ? { id, label: on ? item.text : "" } : { id, ...edgeLabel(item, on) });
  }

  drawn() {
    this.network.fit();
    return new Promise((resolve) => {
      this.network.once("afterDrawing", () => {
        const crowded = this.placed ? this.placed.crowded : 0; // neighbours whose name did not fit
        this.onStatus(`${this.nodes.length} 个实体，${this.edges.length} 条关系` +
                      (this.truncated ? "（已截断）" : "") +
                      (crowded ? `；${crowded} 个相邻实体的名称放不下，鼠标悬停可见` : ""));
        resolve();
      });
      this.network.redraw();
    });
  }

  listed() {
    return this.nodes.get({ fields: ["id", "name", "type", "type_label"] });
  }

  canvas() {
    return this.network.canvas.frame.canvas;
  }
}
