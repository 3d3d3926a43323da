// The neighbourhood graph: vis-network over the API's nodes and edges, expanded by click.
// Colours and shapes match viz/style.py (the pyvis pages).
import { provenanceRows } from "./labels.js";

export const TYPE_STYLES = {
  institute: ["#1f77b4", "dot", "科研机构"], enterprise: ["#ff7f0e", "square", "企业"],
  talent_team: ["#2ca02c", "triangle", "人才团队"], person: ["#98df8a", "triangleDown", "人物"],
  incubator: ["#9467bd", "diamond", "孵化载体"], fund: ["#e6b800", "star", "基金与金融产品"],
  platform: ["#17becf", "hexagon", "创新平台"], park: ["#8c564b", "diamond", "园区"],
  industry: ["#d62728", "ellipse", "产业"], chain_segment: ["#ff9896", "box", "产业链环节"],
  region: ["#7f7f7f", "database", "区域"], government: ["#bcbd22", "square", "政府部门"],
};
const LARGE = 300; // above this, settle briefly and then switch physics off

function nodeOf(entity, center) {
  const [color, shape] = TYPE_STYLES[entity.type] || ["#999", "dot"];
  // a string title is shown by vis-network as text, never parsed as markup
  const external = entity.layer === "reference";
  return { id: entity.id, label: external ? `${entity.name}（区外）` : entity.name, color, shape,
           size: entity.id === center ? 24 : 14, borderWidth: entity.id === center ? 4 : external ? 3 : 1,
           shapeProperties: { borderDashes: external ? [4, 3] : false },
           title: `${entity.name}\n类型：${entity.type_label}${external ? "\n区外机构（全国参考名录）" : ""}`
             + `\n编号：${entity.id}`, type: entity.type, layer: entity.layer || "local",
           name: entity.name, type_label: entity.type_label };
}

export function edgeOf(relation) {
  const details = ["kind", "status", "year"].filter((k) => k in relation.props)
    .map((k) => relation.props[k]);
  const source = provenanceRows(relation.provenance).map(([k, v]) => `${k}：${v}`).join("，");
  return { id: relation.id, from: relation.source, to: relation.target, label: relation.type_label,
           arrows: "to", title: [relation.type_label + (details.length ? `（${details.join("，")}）` : ""),
                                 source ? `出处：${source}` : ""].filter(Boolean).join("\n") };
}

export class NeighborhoodGraph {
  constructor(container, { onSelect, onRecenter, onStatus }) {
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.onStatus = onStatus;
    this.network = new vis.Network(container, { nodes: this.nodes, edges: this.edges }, {
      interaction: { hover: true, tooltipDelay: 120 },
      edges: { font: { size: 10, align: "middle" }, arrows: { to: { scaleFactor: 0.5 } } },
      nodes: { font: { size: 13 } },
      physics: { stabilization: { iterations: 120 }, barnesHut: { springLength: 120 } },
    });
    this.network.on("click", (params) => { if (params.nodes.length) onSelect(params.nodes[0]); });
    this.network.on("doubleClick", (params) => { if (params.nodes.length) onRecenter(params.nodes[0]); });
    this.network.on("stabilizationIterationsDone", () => this.settled());
    window.innographGraph = this; // the browser tests and the bench read the drawn state
  }

  // replace the graph with one neighbourhood; resolves when drawn and settled
  show(neighborhood) {
    this.nodes.clear();
    this.edges.clear();
    this.center = neighborhood.center;
    return this.add(neighborhood);
  }

  // merge a neighbourhood into the graph (expand by click)
  add(neighborhood) {
    const large = this.nodes.length + neighborhood.nodes.length > LARGE;
    this.network.setOptions({
      physics: { enabled: true, stabilization: { iterations: large ? 40 : 120 } },
      layout: { improvedLayout: !large }, edges: { smooth: !large },
    });
    const drawn = new Promise((resolve) => { this.resolveDrawn = resolve; });
    this.nodes.update(neighborhood.nodes.map((n) => nodeOf(n, this.center)));
    this.edges.update(neighborhood.edges.filter((e) => this.nodes.get(e.source) && this.nodes.get(e.target))
      .map(edgeOf));
    this.truncated = neighborhood.truncated;
    this.network.stabilize(large ? 40 : 120);
    return drawn;
  }

  settled() {
    this.network.setOptions({ physics: { enabled: false } });
    this.network.fit();
    this.network.once("afterDrawing", () => {
      this.onStatus(`${this.nodes.length} 个实体，${this.edges.length} 条关系` +
                    (this.truncated ? "（已截断）" : ""));
      if (this.resolveDrawn) this.resolveDrawn();
    });
    this.network.redraw();
  }

  listed() {
    return this.nodes.get({ fields: ["id", "name", "type", "type_label"] });
  }

  canvas() {
    return this.network.canvas.frame.canvas;
  }
}
