// The legend under the toolbar: one entry for every entity type in the graph (its colour,
// shape and Chinese name from GET /labels) and, when there are any, the dashed mark of
// organisations outside the district. Built as DOM and SVG nodes, never from markup.
import { api } from "./api.js";
import { el, clear } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";
// vis-network's shapes as 16×16 SVG outlines: [element, attributes]
const SHAPES = {
  dot: ["circle", { cx: 8, cy: 8, r: 6 }],
  square: ["rect", { x: 2, y: 2, width: 12, height: 12 }],
  triangle: ["polygon", { points: "8,1.5 14.5,13.5 1.5,13.5" }],
  triangleDown: ["polygon", { points: "1.5,2.5 14.5,2.5 8,14.5" }],
  diamond: ["polygon", { points: "8,1 15,8 8,15 1,8" }],
  star: ["polygon", { points: "8,1 9.8,6 15,6 10.8,9.2 12.4,14.5 8,11.3 3.6,14.5 5.2,9.2 1,6 6.2,6" }],
  hexagon: ["polygon", { points: "4.5,2 11.5,2 15,8 11.5,14 4.5,14 1,8" }],
  ellipse: ["ellipse", { cx: 8, cy: 8, rx: 7, ry: 4.5 }],
  box: ["rect", { x: 1, y: 3.5, width: 14, height: 9, rx: 2 }],
  database: ["path", { d: "M2,4 a6,2 0 0,0 12,0 a6,2 0 0,0 -12,0 v8 a6,2 0 0,0 12,0 v-8" }],
};
const EXTERNAL = "区外机构（全国参考名录）";
let typeLabels = null; // GET /labels' types, asked for once

function loadTypeLabels() {
  typeLabels ||= api.labels().then((found) => found.types || {}, () => ({}));
  return typeLabels;
}

export function swatch(shape, fill, { dashed = false } = {}) {
  const icon = document.createElementNS(SVG, "svg");
  for (const [key, value] of Object.entries({ width: 16, height: 16, viewBox: "0 0 16 16", "aria-hidden": "true" })) {
    icon.setAttribute(key, String(value));
  }
  const [tag, attributes] = SHAPES[shape] || SHAPES.dot;
  const outline = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries({ ...attributes, fill, stroke: dashed ? "#333" : "#555",
    "stroke-width": dashed ? 1.5 : 0.8, "stroke-dasharray": dashed ? "2.5 1.5" : "none" })) {
    outline.setAttribute(key, String(value));
  }
  icon.append(outline);
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
