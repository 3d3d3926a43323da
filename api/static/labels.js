// The words people see for keys and values. GET /labels gives them from the data that
// defines them (the header vocabulary, schema's labels); until it answers, the entries below
// keep the viewer Chinese. No key reaches the page in English.

const LABELS = {
  properties: { level: "级别", subtype: "细分类型", description: "简介", kind: "合作方式", year: "年份" },
  provenance: { source_doc: "来源文件", source_section: "章节", source_span: "原文位置",
                evidence: "依据", note: "备注" },
  evidence: { report: "报告原文", inference: "推断", domain_knowledge: "领域常识", user: "用户提供" },
};

export function setLabels(found) {
  for (const part of ["properties", "provenance", "evidence"]) Object.assign(LABELS[part], found[part] || {});
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

// provenance as [label, value] rows: 来源文件, 章节, 原文位置, 依据 (in words), 备注
export function provenanceRows(provenance) {
  return Object.entries(provenance || {}).map(([key, value]) => [
    LABELS.provenance[key] || propLabel(key),
    key === "evidence" ? LABELS.evidence[value] || shown(value) : shown(value)]);
}
