// Where each node of a neighbourhood goes: rings by hop from the root (the entity the view is
// about), and on every ring the same sector for the same group (entity type, or community when
// the data gives one), so that like sits next to like and a depth-2 view reads from the middle
// out. No randomness: the same nodes and edges always give the same picture.

const RING_STEP = 110;   // canvas units between rings (before the spacing factor)
const NODE_GAP = 36;     // the least arc a node needs on its ring (a node and a little air)
const ASPECT = 1.4;      // rings are ellipses, wider than tall, as labels are

const byText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// hop count of every node from root over undirected edges; nodes the root cannot reach (a type
// filter can cut the path to them) go one ring beyond the farthest
export function hopsFrom(root, ids, edges) {
  const next = new Map(ids.map((id) => [id, []]));
  for (const { from, to } of edges) {
    if (next.has(from) && next.has(to)) { next.get(from).push(to); next.get(to).push(from); }
  }
  for (const list of next.values()) list.sort(byText);
  const hops = new Map([[root, 0]]);
  const parent = new Map();
  let frontier = [root];
  while (frontier.length) {
    const following = [];
    for (const id of frontier) {
      for (const other of next.get(id) || []) {
        if (hops.has(other)) continue;
        hops.set(other, hops.get(id) + 1);
        parent.set(other, id);
        following.push(other);
      }
    }
    frontier = following;
  }
  const beyond = Math.max(0, ...hops.values()) + 1;
  for (const id of ids) if (!hops.has(id)) hops.set(id, beyond);
  return { hops, parent, neighbours: next };
}

// each group's share of the circle, in the given order, in proportion to its members
function sectors(nodes, root, groupOf, groupOrder) {
  const counts = new Map();
  for (const node of nodes) {
    if (node.id === root) continue;
    const group = groupOf(node);
    counts.set(group, (counts.get(group) || 0) + 1);
  }
  const rank = (group) => { const at = groupOrder.indexOf(group); return at < 0 ? groupOrder.length : at; };
  const ordered = [...counts.keys()].sort((a, b) => rank(a) - rank(b) || byText(a, b));
  const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
  const found = new Map();
  let start = -Math.PI / 2; // the first group starts at the top
  for (const group of ordered) {
    const width = (2 * Math.PI * counts.get(group)) / total;
    found.set(group, { start, width });
    start += width;
  }
  return found;
}

// angles on one ring: every node wants a spot in its group's sector (near its parent's angle),
// then the ring is spread evenly in that order, turned to stay as close to the wishes as it can
function ringAngles(ring, wanted) {
  const order = [...ring].sort((a, b) => wanted.get(a) - wanted.get(b) || byText(a, b));
  const step = (2 * Math.PI) / order.length;
  let sin = 0;
  let cos = 0;
  order.forEach((id, i) => { sin += Math.sin(wanted.get(id) - i * step); cos += Math.cos(wanted.get(id) - i * step); });
  const turn = order.length > 1 ? Math.atan2(sin, cos) : wanted.get(order[0]);
  return new Map(order.map((id, i) => [id, turn + i * step]));
}

// positions {x, y, ring} (integers, canvas units) of every node, the root at the origin;
// spacing > 1 moves the rings holding a node of `roomy` (whose labels must all be drawn)
// further out, and the rings beyond them with them (the label pass asks for it when crowded)
export function ringLayout(nodes, edges, { root, groupOf, groupOrder = [], spacing = 1, roomy = new Set() }) {
  const ids = nodes.map((n) => n.id).sort(byText);
  if (!ids.includes(root)) root = ids[0];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const { hops, parent } = hopsFrom(root, ids, edges);
  const rings = [];
  for (const id of ids) {
    if (id === root) continue;
    (rings[hops.get(id)] ||= []).push(id);
  }
  const sector = sectors(nodes, root, groupOf, groupOrder);
  const angle = new Map([[root, 0]]);
  const positions = new Map([[root, { x: 0, y: 0, ring: 0 }]]);
  let radius = 0;
  for (const [hop, ring] of rings.entries()) {
    if (!ring) continue;
    // within a group, members follow their parents round the circle, then their ids
    const members = new Map();
    for (const id of ring) {
      const group = groupOf(byId.get(id));
      (members.get(group) || members.set(group, []).get(group)).push(id);
    }
    const wanted = new Map();
    for (const [group, list] of members) {
      const { start, width } = sector.get(group);
      const from = (id) => angle.get(parent.get(id)) ?? 0;
      list.sort((a, b) => from(a) - from(b) || byText(a, b));
      list.forEach((id, i) => wanted.set(id, start + ((i + 0.5) / list.length) * width));
    }
    // a ring far enough out for its own nodes to sit apart (the perimeter of the ellipse)
    const fits = (ring.length * NODE_GAP) / (Math.PI * (1 + ASPECT));
    const step = ring.some((id) => roomy.has(id)) ? RING_STEP * spacing : RING_STEP;
    radius = Math.max(radius + step, fits);
    for (const [id, turn] of ringAngles(ring, wanted)) {
      angle.set(id, turn);
      positions.set(id, { x: Math.round(radius * ASPECT * Math.cos(turn)),
                          y: Math.round(radius * Math.sin(turn)), ring: hop });
    }
  }
  return positions;
}
