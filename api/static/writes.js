// Requests that write: the write key (X-API-Key) goes with each, and a refusal becomes an
// Error whose message is Chinese (problems.js). The key lives in this page's memory only,
// shared by the upload and review screens, never stored.
import { chineseMessage } from "./problems.js";

let writeKey = "";

export function setKey(key) {
  writeKey = String(key || "").trim();
}

// every write-key field on the page (one a screen) types into the one key
export function bindKeyInputs() {
  const inputs = [...document.querySelectorAll("input.write-key")];
  for (const input of inputs) {
    input.addEventListener("input", () => {
      setKey(input.value);
      for (const other of inputs) if (other !== input) other.value = input.value;
    });
  }
}

// method, path, and one of { json } or { form } (a FormData); params go in the query
export async function send(method, path, { json, form, params } = {}) {
  const query = new URLSearchParams(params || {}).toString();
  const headers = { Accept: "application/json" };
  if (writeKey) headers["X-API-Key"] = writeKey;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form) body = form;
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, { method, headers, body });
  } catch {
    throw new Error("连接不上服务器，请检查网络或服务器是否在运行。");
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(chineseMessage(answer, response.status));
  return answer;
}

// a read (no key needed) whose failure is Chinese too
export async function read(path, params = {}) {
  const kept = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  return send("GET", path, { params: kept });
}
