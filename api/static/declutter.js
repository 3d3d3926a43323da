// Which labels to draw, and where, so that no two drawn labels overlap. Labels are placed in
// order of priority: the ones that must be readable (the selected node and its neighbours)
// first, then the others while room is left; a label with no free spot is hidden and shown
// on hover instead. Boxes follow vis-network's own geometry (checked by tests/viewer/test_layout.py).

const PAD = 2; // canvas units of air around every label box
// vis-network draws these shapes' labels inside the shape: the shape's box from the text's
// width and height (as vis-network sizes them, margins included)
const INSIDE = {
  ellipse: (w, h) => [w + h, 2 * h],
  box: (w, h) => [w + 22, h + 22],
  database: (w) => [w + 10, w + 10],
};
const BELOW_GAP = 11; // from a below-shape's edge to the top of its label (vis-network)
const ABOVE_GAP = 4;  // from the shape's top edge up to the bottom of a label moved above

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const padded = (box) => ({ x: box.x - PAD, y: box.y - PAD, w: box.w + 2 * PAD, h: box.h + 2 * PAD });

// text widths in canvas units for a font, measured once per distinct text
export function textMeasurer(font) {
  const context = document.createElement("canvas").getContext("2d");
  context.font = font;
  const known = new Map();
  return (text) => {
    if (!known.has(text)) known.set(text, context.measureText(text).width);
    return known.get(text);
  };
}

// the body of a node (what a label must not cover) and the spots its label can take
export function nodeBoxes(node, at, measure, fontSize) {
  const lines = node.label.split("\n");
  const width = Math.max(...lines.map(measure));
  const height = lines.length * fontSize;
  const inside = INSIDE[node.shape];
  if (inside) {
    const [w, h] = inside(width, height);
    const body = { x: at.x - w / 2, y: at.y - h / 2, w, h };
    return { body, spots: [{ box: body, vadjust: 0 }] };
  }
  const size = node.size;
  const body = { x: at.x - size, y: at.y - size, w: 2 * size, h: 2 * size };
  const below = { x: at.x - width / 2, y: at.y + size + BELOW_GAP, w: width, h: height };
  const aboveTop = at.y - size - ABOVE_GAP - height;
  const above = { ...below, y: aboveTop };
  const spots = [{ box: below, vadjust: 0 }, { box: above, vadjust: aboveTop - below.y }];
  // outward first: above the middle for nodes in the upper half, below it for the others
  return { body, spots: at.y < 0 ? spots.reverse() : spots };
}

// an edge label sits at the middle of its (straight) edge
export function edgeBox(label, from, to, measure, fontSize) {
  const w = measure(label);
  return { x: (from.x + to.x) / 2 - w / 2, y: (from.y + to.y) / 2 - fontSize / 2, w, h: fontSize };
}

// candidates: [{ id, spots: [{ box, vadjust }], must, owners: [node ids whose body it may touch] }]
// in priority order; bodies: Map id -> box. Returns the chosen spot of each drawn label
// (Map id -> spot) and how many labels that must be drawn found no free spot (hidden too:
// no label is ever drawn over another; the caller spreads the layout and tries again).
export function placeLabels(candidates, bodies) {
  const taken = [];
  const chosen = new Map();
  let crowded = 0;
  const free = (box) => !taken.some((other) => overlaps(box, other));
  const clearOfBodies = (box, owners) => {
    for (const [id, body] of bodies) if (!owners.includes(id) && overlaps(box, body)) return false;
    return true;
  };
  for (const { id, spots, must, owners } of candidates) {
    const boxes = spots.map((spot) => padded(spot.box));
    let at = boxes.findIndex((box) => free(box) && clearOfBodies(box, owners));
    if (at < 0 && must) at = boxes.findIndex(free);
    if (at < 0) { crowded += must ? 1 : 0; continue; } // never drawn over another label
    taken.push(boxes[at]);
    chosen.set(id, spots[at]);
  }
  return { chosen, crowded };
}
