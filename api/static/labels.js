// The words people see for keys and values. GET /labels gives them from the data that
// defines them (the header vocabulary, schema's labels); until it answers, the entries below
// keep the viewer Chinese. No key reaches the page in English.

const LABELS = {
  properties: { level: "级别", subtype: "细分类型", description: "简介", kind: "合作方式", year: "年份" },
  // in the order the panel shows them: where in the document, its words, how it is known
  provenance: { source_doc: "来源文件", source_section: "章节", source_span: "原文位置",
                quote: "原文", evidence: "依据", note: "备注" },
  evidence: { report: "报告原文", inference: "推断", domain_knowledge: "领域常识", user: "用户提供" },
  types: {},
  relations: {},
};

export function setLabels(found) {
  for (const part of ["properties", "provenance", "evidence", "types", "relations"]) {
    Object.assign(LABELS[part], found[part] || {});
  }
}

// an entity type's or relation type's Chinese name (GET /labels), never its key
export function typeLabel(type) {
  return LABELS.types[type] || "其他类型";
}

export function relationLabel(relation) {
  return LABELS.relations[relation] || "其他关系";
}

// [key, Chinese] of every entity type or relation type, as GET /labels lists them
export function labelled(part) {
  return Object.entries(LABELS[part]);
}

// a key no table names (a column a bureau's file added under an English header) is marked
// as such rather than shown bare
export function propLabel(key) {
  return LABELS.properties[key] || (/[\u4e00-\u9fff]/.test(key) ? key : `其他属性（${key}）`);
}

export function shown(value) {
  if (Array.isArray(value)) return value.map(shown).join("、");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  if (value === true) return "是";
  if (value === false) return "否";
  return String(value ?? "");
}

// provenance as [label, value] rows: 来源文件, 章节, 原文位置, 原文 (the document's own words,
// in 「」), 依据 (in words), 备注; keys no label names come last
export function provenanceRows(provenance) {
  const order = Object.keys(LABELS.provenance);
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.entries(provenance || {})
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, value]) => [
      LABELS.provenance[key] || propLabel(key),
      key === "evidence" ? LABELS.evidence[value] || shown(value)
        : key === "quote" ? `「${shown(value)}」` : shown(value)]);
}
