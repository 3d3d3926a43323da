// The upload screen (#upload): a table or a document, the write key, a dry run that shows how
// each column would be read (POST /ingest?dry_run=true), then the load and what it did.
import { el, clear } from "./dom.js";
import { send } from "./writes.js";
import { typeLabel, relationLabel, propLabel, labelled } from "./labels.js";
import { rejectReason } from "./problems.js";
import { badge } from "./panels.js";

// what the loader's keys mean, in words (shapes, column roles, rows that are not data)
const SHAPES = {
  government_list: "政府名单", registry_companies: "工商登记·企业名单",
  registry_shareholders: "工商登记·股东信息", registry_investments: "工商登记·对外投资",
  patents: "专利导出", projects: "签约项目清单",
};
const ROLES = {
  canonical: "规范名称", name: "名称", type: "实体类型", aliases: "别名", context: "分组信息",
  region_part: "所在地区", industry_code: "行业代码", ignored: "不导入（如序号）",
  shareholder_name: "股东名称", shareholder_type: "股东类型", share_ratio: "持股比例",
  subscribed_amount: "认缴出资额", subscribed_date: "认缴出资日期", paid_amount: "实缴出资额",
  investee_name: "被投资企业", investor_name: "投资方", publication_number: "公开号",
  application_number: "申请号", application_date: "申请日", publication_date: "公开日",
  applicants: "申请人（共同申请关系）", applicant_address: "申请人地址", inventors: "发明人",
  current_owner: "当前权利人", first_applicant: "第一申请人", patent_title: "专利名称",
  patent_type: "专利类型", legal_status: "法律状态", party_a: "甲方", party_b: "乙方",
  parties: "签约各方", signed_date: "签约日期", project_name: "项目名称",
  project_content: "项目内容", amount: "金额",
};
const SKIPPED = { title: "标题行", header: "表头", group: "分组行", blank: "空行", total: "合计行",
  note: "注释行" };
const ACCEPTED = ".csv,.tsv,.xlsx,.xlsm,.xls,.ods,.json,.jsonl,.ndjson,.txt,.md,.docx";

const $ = (id) => document.getElementById(id);
let checked = null; // the files the last dry run read; only those may be loaded

function say(text, kind = "") {
  clear($("upload-status"), ...(text ? [el("p", { class: kind, text })] : []));
}

function chosenFiles() {
  return [...$("upload-files").files];
}

function form(files) {
  const data = new FormData();
  for (const file of files) data.append("files", file, file.name);
  return data;
}

function params(dryRun) {
  const out = { dry_run: String(dryRun), replace: String($("upload-replace").checked) };
  if ($("upload-type").value) out.type = $("upload-type").value;
  return out;
}

// what one column is read as: 名称, 属性「统一社会信用代码」, 关系「位于」→ 区域 …
function columnMeaning(column) {
  if (column.role === "property") return `属性：${propLabel(column.target)}`;
  if (column.role === "relation") {
    return `关系：${relationLabel(column.target)}${column.target_type ? ` → ${typeLabel(column.target_type)}` : ""}`;
  }
  if (column.role === "name" && column.target_type) return `名称（${typeLabel(column.target_type)}）`;
  return ROLES[column.role] || "按表格类型读取";
}

// "将新增 3 个实体、2 条关系"; nothing to say when both are zero
function countLine(what, counts) {
  if (!counts.entities && !counts.relations) return "";
  return `${what} ${counts.entities || 0} 个实体、${counts.relations || 0} 条关系`;
}

function sheetBlock(sheet) {
  const columns = el("table", { class: "mapping" },
    el("thead", {}, el("tr", {}, ["列", "表头", "读作"].map((h) => el("th", { text: h })))),
    el("tbody", {}, sheet.columns.map((column) => el("tr", { class: `role-${column.role}` },
      el("td", { text: `第 ${column.column} 列` }), el("td", { class: "data", text: column.header }),
      el("td", { class: "meaning", text: columnMeaning(column) })))));
  const skipped = sheet.skipped.filter((row) => row.kind !== "header");
  return el("div", { class: "sheet" },
    el("h3", {}, el("span", { class: "data", text: sheet.source })),
    el("p", { class: "shape", text: [
      `识别为：${SHAPES[sheet.shape] || "通用表格"}`,
      sheet.header_row ? `表头在第 ${sheet.header_row} 行` : "",
      sheet.entity_type ? `每行是一个“${typeLabel(sheet.entity_type)}”` : "",
      `数据 ${sheet.data_rows} 行`].filter(Boolean).join("；") }),
    columns,
    skipped.length ? el("p", { class: "muted skipped", text: "不作为数据读取：" + skipped.map((row) =>
      `第 ${row.row} 行 ${SKIPPED[row.kind] || "其他行"}${row.text ? `「${row.text.slice(0, 30)}」` : ""}`).join("；") }) : null,
    sheet.warnings.length ? el("p", { class: "muted", text: `另有 ${sheet.warnings.length} 条读取提示，可用命令行 ingest --dry-run 查看。` }) : null);
}

function rejectsBlock(report) {
  if (!report.rejected) return null;
  return el("div", { class: "rejects" },
    el("h3", { class: "error", text: `有问题的行：${report.rejected} 处（这些行不会载入，其余照常载入）` }),
    el("table", { class: "mapping" },
      el("thead", {}, el("tr", {}, ["文件·工作表", "行", "列", "值", "问题"].map((h) => el("th", { text: h })))),
      el("tbody", {}, report.rejects.map((reject) => el("tr", { class: "reject" },
        el("td", { class: "data", text: reject.file }), el("td", { text: `第 ${reject.row} 行` }),
        el("td", { class: "data", text: reject.column }), el("td", { class: "data", text: reject.value }),
        el("td", { text: rejectReason(reject.reason) }))))));
}

function tablesBlock(report, dryRun) {
  const verb = dryRun ? "将" : "已";
  const merged = report.merge?.merged || {};
  const toReview = report.review_candidates.length;
  return el("section", { id: dryRun ? "table-preview" : "table-result" },
    el("h2", { text: dryRun ? "表格试运行：尚未写入" : "表格已载入" }),
    el("p", { class: "summary", text: [
      `数据 ${report.sources.reduce((sum, sheet) => sum + sheet.data_rows, 0)} 行`,
      countLine(`${verb}新增`, report.created), countLine(`${verb}更新`, report.updated),
      countLine("没有变化", report.unchanged), countLine(`${verb}与其他来源合并`, merged),
      Object.keys(report.resolved).length ? `${Object.keys(report.resolved).length} 个名称${verb}归入图谱中已有的实体` : "",
    ].filter(Boolean).join("；") }),
    toReview ? el("p", { class: "to-review" }, `${toReview} 行可能与图谱中已有的实体是同一个，${verb}分开载入并进入审核：`,
      el("a", { href: "#review&kind=match", text: "去审核" })) : null,
    ...report.sources.map(sheetBlock), rejectsBlock(report));
}

function candidateLine(candidate) {
  const data = candidate.data;
  if (candidate.kind === "entity") {
    return el("li", {}, badge(data.type, typeLabel(data.type)), " ", el("span", { class: "data", text: data.canonical }));
  }
  return el("li", {}, el("span", { class: "data", text: data.source.canonical }),
    ` —${relationLabel(data.relation)}→ `, el("span", { class: "data", text: data.target.canonical }),
    el("span", { class: "quote", text: ` 「${candidate.evidence}」` }));
}

function documentsBlock(report, dryRun) {
  if (dryRun) {
    return el("section", { id: "document-preview" }, el("h2", { text: "文档试运行：尚未进入审核队列" }),
      report.documents.map((doc) => el("div", { class: "sheet" },
        el("h3", {}, el("span", { class: "data", text: doc.doc })),
        el("p", { class: "summary", text: `共 ${doc.characters} 字；将产生 ${doc.entity_candidates} 个实体候选、` +
          `${doc.relation_candidates} 条关系候选，进入审核队列，接受后才写入图谱。` }),
        doc.first.length ? el("ul", { class: "candidates" }, doc.first.map(candidateLine)) : null)));
  }
  const totals = report.candidates;
  return el("section", { id: "document-result" }, el("h2", { text: "文档已读入审核队列" }),
    el("p", { class: "summary", text: `新增候选 ${totals.created} 项，更新 ${totals.updated} 项，` +
      `没有变化 ${totals.unchanged} 项，过时 ${totals.obsolete} 项。` }),
    el("ul", {}, report.documents.map((doc) => el("li", {},
      el("a", { href: "#" + new URLSearchParams({ review: "", doc: doc.doc }), class: "go-review" },
        "审核「", el("span", { class: "data", text: doc.doc }), "」的候选项")))));
}

function render(target, answer, dryRun) {
  clear(target, ...[answer.tables && tablesBlock(answer.tables, dryRun),
    answer.documents && documentsBlock(answer.documents, dryRun)].filter(Boolean));
}

async function dryRun(event) {
  event.preventDefault();
  const files = chosenFiles();
  clear($("upload-result"));
  clear($("upload-preview"));
  checked = null;
  $("upload-load").disabled = true;
  if (!files.length) return say("请先选择要上传的文件。", "error");
  say("试运行中…");
  try {
    const answer = await send("POST", "/ingest", { form: form(files), params: params(true) });
    render($("upload-preview"), answer, true);
    checked = files;
    $("upload-load").disabled = false;
    say("试运行完成，尚未写入任何内容。核对下面的读取方式，无误后点“确认载入”。");
  } catch (error) {
    say(error.message, "error");
  }
}

async function load() {
  if (!checked) return;
  $("upload-load").disabled = true;
  say("载入中…");
  try {
    const answer = await send("POST", "/ingest", { form: form(checked), params: params(false) });
    render($("upload-result"), answer, false);
    clear($("upload-preview"));
    checked = null;
    say("载入完成。");
  } catch (error) {
    $("upload-load").disabled = false;
    say(error.message, "error");
  }
}

export function setUpUpload() {
  $("upload-files").setAttribute("accept", ACCEPTED);
  for (const [type, label] of labelled("types")) $("upload-type").append(el("option", { value: type, text: label }));
  $("upload-form").addEventListener("submit", dryRun);
  $("upload-load").addEventListener("click", load);
  // a changed choice needs a new dry run before it may load
  $("upload-files").addEventListener("change", () => {
    clear($("upload-chosen"), ...(chosenFiles().length ? [el("span", { class: "data", text: chosenFiles().map((f) => f.name).join("、") })]
      : ["未选择文件"]));
  });
  for (const id of ["upload-files", "upload-type", "upload-replace"]) {
    $(id).addEventListener("change", () => { checked = null; $("upload-load").disabled = true; clear($("upload-preview")); });
  }
}
