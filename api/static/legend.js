// The legend under the toolbar: one entry for every entity type in the graph (its colour,
// shape and Chinese name from GET /labels) and, when there are any, the dashed mark of
// organisations outside the district. Built as DOM nodes, never from markup; each swatch is
// a small canvas drawn with vis-network's shape for the type.
import { api } from "./api.js";
import { el, clear } from "./dom.js";

const TAU = 2 * Math.PI;
const polygon = (points) => (c) => { c.moveTo(...points[0]); for (const p of points.slice(1)) c.lineTo(...p); c.closePath(); };
// vis-network's shapes as paths in a 16×16 square
const SHAPES = {
  dot: (c) => c.arc(8, 8, 6, 0, TAU),
  square: (c) => c.rect(2, 2, 12, 12),
  triangle: polygon([[8, 1.5], [14.5, 13.5], [1.5, 13.5]]),
  triangleDown: polygon([[1.5, 2.5], [14.5, 2.5], [8, 14.5]]),
  diamond: polygon([[8, 1], [15, 8], [8, 15], [1, 8]]),
  star: polygon([[8, 1], [9.8, 6], [15, 6], [10.8, 9.2], [12.4, 14.5], [8, 11.3], [3.6, 14.5], [5.2, 9.2], [1, 6], [6.2, 6]]),
  hexagon: polygon([[4.5, 2], [11.5, 2], [15, 8], [11.5, 14], [4.5, 14], [1, 8]]),
  ellipse: (c) => c.ellipse(8, 8, 7, 4.5, 0, 0, TAU),
  box: (c) => c.roundRect(1, 3.5, 14, 9, 2),
  database: (c) => { c.ellipse(8, 4, 6, 2, 0, Math.PI, 0); c.lineTo(14, 12); c.ellipse(8, 12, 6, 2, 0, 0, Math.PI); c.closePath();
                     c.moveTo(14, 4); c.ellipse(8, 4, 6, 2, 0, 0, Math.PI); },
};
const EXTERNAL = "区外机构（全国参考名录）";
let typeLabels = null; // GET /labels' types, asked for once

function loadTypeLabels() {
  typeLabels ||= api.labels().then((found) => found.types || {}, () => ({}));
  return typeLabels;
}

export function swatch(shape, fill, { dashed = false } = {}) {
  const icon = el("canvas", { width: 32, height: 32, "aria-hidden": "true", class: "swatch",
                              dataset: { shape, dashed: dashed ? "yes" : "no" } });
  const c = icon.getContext("2d");
  c.scale(2, 2); // drawn at twice the size it is shown, to stay sharp
  c.beginPath();
  (SHAPES[shape] || SHAPES.dot)(c);
  c.fillStyle = fill;
  c.fill();
  c.setLineDash(dashed ? [2.5, 1.5] : []);
  c.lineWidth = dashed ? 1.5 : 0.8;
  c.strokeStyle = dashed ? "#333" : "#555";
  c.stroke();
  return icon;
}

// nodes: the drawn nodes ({ type, type_label, layer }); styles: type -> [colour, shape, label]
export async function renderLegend(container, nodes, styles) {
  const labels = await loadTypeLabels();
  const present = new Set(nodes.map((n) => n.type));
  const fallback = new Map(nodes.map((n) => [n.type, n.type_label]));
  const entries = Object.entries(styles).filter(([type]) => present.has(type))
    .map(([type, [color, shape, builtIn]]) => el("li", { class: "legend-type", dataset: { type } },
      swatch(shape, color), el("span", { text: labels[type] || fallback.get(type) || builtIn })));
  if (nodes.some((n) => n.layer === "reference")) {
    entries.push(el("li", { class: "legend-external", dataset: { type: "external" } },
      swatch("dot", "#fff", { dashed: true }), el("span", { text: EXTERNAL })));
  }
  clear(container, el("span", { class: "legend-title", text: "图例" }), el("ul", {}, entries),
    el("span", { class: "legend-hint", text: "由内向外：第 1、2、3 跳；同类相邻。名称放不下时隐藏，鼠标悬停可见。" }));
}
