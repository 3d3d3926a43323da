// What went wrong, in Chinese. The API's problems (RFC 9457) say it in English for scripts;
// a viewer user reads the sentence below instead: a rule matching the problem's detail, else
// one for its status, else one naming the parameter. Names and file names stay as given.

// [pattern on the detail, Chinese from the match and the problem], first match wins
const DETAIL_RULES = [
  [/writes are disabled/, () => "本服务器未开启写入：管理员需要先设置写入密钥（INNOGRAPH_API_KEY）。"],
  [/wrong API key/, () => "写入密钥不正确，请检查后重新输入。"],
  [/send the API key/, () => "请先输入写入密钥。"],
  [/not a table or document/, (m, p) => `「${fileOf(p)}」不是可以导入的表格或文档：请上传 CSV、XLSX、XLS、TXT、MD 或 DOCX 文件。`],
  [/larger than the (\d+) MiB upload limit/, (m, p) => `「${fileOf(p)}」超过 ${m[1]} MB 的上传上限。`],
  [/empty document/, (m, p) => `「${fileOf(p)}」是空文档，没有可读的文字。`],
  [/binary content|not a workbook|not a readable|not UTF-8|not a document|no such file|cannot be read/,
    (m, p) => `「${fileOf(p)}」无法读取：文件已损坏，或内容与扩展名不符。`],
  [/no row reads as a header in the first (\d+) rows/,
    (m, p) => `「${fileOf(p)}」前 ${m[1]} 行里找不到表头：表格需要一列名称，如“企业名称”“单位名称”或“名称”。`],
  [/looks like a (\w+) .*but has no company/,
    (m, p) => `「${fileOf(p)}」看起来是股东或对外投资表，但找不到所属企业：需要“企业名称”列，或写明企业的标题行。`],
  [/all (\d+) rows were rejected; nothing was loaded \(first: (.+) row (\d+), ([^:]+):/,
    (m) => `全部 ${m[1]} 行都无法导入，什么也没有载入。第一处问题：${m[2]} 第 ${m[3]} 行「${m[4]}」列。`],
  [/is ambiguous: it names (\d+) entities/, (m, p) => `输入的名称对应 ${m[1]} 个实体，请写得更完整，或直接输入编号。`],
  [/is neither in the graph nor an entity candidate/, (m, p) =>
    `${p.parameter === "target" ? "终点" : "起点"}既不在图谱中，也不是这份文档的候选实体：请检查名称。`],
  [/already proposes this relation/, () => "这份文档已经有这条关系的候选项，请在列表中直接接受或修改它。"],
  [/already added to/, () => "这条关系已经补充过了。"],
  [/is (accepted|rejected|obsolete); only pending/, (m) => `该候选项已经${STATUS_WORDS[m[1]]}，不能再操作；请刷新列表。`],
  [/no document .* was read into the review queue/, () => "审核队列里没有这份文档。"],
  [/cannot (start|end) at (\w+)/, (m) => `这种关系不能${m[1] === "start" ? "从" : "指向"}“${typeWord(m[2])}”类实体：请换一种关系，或修改实体类型。`],
  [/is the relation's source itself/, () => "起点和终点是同一个实体。"],
  [/no longer in the graph/, () => "这条关系的一端已经不在图谱中，请拒绝该候选项。"],
  [/is open read-only/, () => "服务器以只读方式打开了图谱，无法写入。"],
];

const BY_STATUS = {
  401: "请先输入写入密钥。",
  403: "写入被拒绝：密钥不正确，或本服务器未开启写入。",
  404: "没有找到要操作的内容，它可能已被删除；请刷新。",
  409: "与图谱中已有的内容冲突，或已被其他人处理；请刷新后再试。",
  413: "上传的内容超过大小上限。",
  429: "请求太频繁，请稍后再试。",
  503: "图谱存储暂时不可用，请稍后再试。",
};

// the fields a form sends, as the form names them
const PARAMETERS = {
  canonical: "名称", type: "类型", relation: "关系类型", kind: "合作方式", status: "进展",
  year: "年份", source: "起点", target: "终点", doc: "文档", quote: "原文", section: "章节",
  reason: "理由", files: "文件", profile: "映射配置", "X-API-Key": "写入密钥",
};

const STATUS_WORDS = { accepted: "被接受", rejected: "被拒绝", obsolete: "过时" };

function typeWord(type) {
  return typeLabel(type);
}

// the file a problem is about: its parameter is the file (or `files[0]`, with the file's
// name opening the detail)
function fileOf(problem) {
  const parameter = String(problem.parameter || "");
  if (parameter && !parameter.startsWith("files")) return parameter.split("#")[0];
  const named = /^(?:files(?:\[\d+\])?: )?([^:]+):/.exec(String(problem.detail || ""));
  return named ? named[1] : "文件";
}

export function chineseMessage(problem, status) {
  const detail = String(problem.detail || "");
  for (const [pattern, say] of DETAIL_RULES) {
    const found = pattern.exec(detail);
    if (found) return say(found, problem);
  }
  if (BY_STATUS[status]) return BY_STATUS[status];
  if (status === 422) {
    const field = String(problem.parameter || "").replace(/^body\[\d+\]\./, "");
    return `输入有误：${PARAMETERS[field] || "请检查填写的内容"}不符合要求。`;
  }
  return `请求失败（错误代码 ${status}），请稍后再试。`;
}

// a rejected row's reason (the loader's words), in Chinese
const REJECT_RULES = [
  [/check digit is (\w), GB 32100-2015 gives (\w)/, (m) => `统一社会信用代码的校验位不对（按国标应为 ${m[2]}）`],
  [/credit code/, () => "统一社会信用代码格式不对"],
  [/its row .* was rejected/, () => "它所在的行已被拒绝，这条关系无法载入"],
  [/unknown entity/, () => "关系的另一端既不在图谱中，也不在本次上传中"],
  [/cannot tell what '(.+)' is from its name/, (m) => `无法从名称判断「${m[1]}」是哪类实体：请加一列“类型”，或在上传时选择实体类型`],
  [/every entity needs a name/, () => "缺少名称"],
  [/^missing/, () => "缺少必填内容"],
  [/cannot (start|end) at/, () => "这种关系不能连接这两类实体"],
  [/year|Year/, () => "年份不对"],
];

export function rejectReason(reason) {
  for (const [pattern, say] of REJECT_RULES) {
    const found = pattern.exec(String(reason || ""));
    if (found) return say(found);
  }
  return "这一格的值不符合要求";
}
