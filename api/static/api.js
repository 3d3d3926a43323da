// Calls to this server's JSON API. Every failure becomes an Error whose message is the
// problem's detail, shown to the user as text.

export async function getJSON(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
  const text = query.toString();
  const response = await fetch(text ? `${path}?${text}` : path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

// an id in a path segment: "/" stays (the routes take {id:path}), everything else encoded
export function idPath(id) {
  return id.split("/").map(encodeURIComponent).join("/");
}

export const api = {
  labels: () => getJSON("/labels"),
  search: (q) => getJSON("/search", { q, limit: 12 }),
  entity: (id) => getJSON(`/entities/${idPath(id)}`),
  neighborhood: (id, depth, types, limit = 500) =>
    getJSON(`/entities/${idPath(id)}/neighborhood`, { depth, types, limit }),
  partners: (id) => getJSON("/recommendations/partners", { entity: id, limit: 8, scope: "all" }),
  teamLinks: (id) => getJSON(`/talent-teams/${idPath(id)}/links`),
  paths: (source, target) => getJSON("/paths", { source, target, limit: 3 }),
  industries: () => getJSON("/industries"),
  members: (industryId, region) => getJSON("/entities", { industry: industryId, region, limit: 200 }),
  chain: (id, region) => getJSON(`/industries/${idPath(id)}/chain`, { candidates: 5, region }),
  regions: () => getJSON("/entities", { type: "region", limit: 500 }),
};
