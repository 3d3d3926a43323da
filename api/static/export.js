// Export of the current view: the graph as PNG, the listed entities as CSV.

function download(name, href) {
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

export function exportPNG(canvas, name) {
  download(`${name}.png`, canvas.toDataURL("image/png"));
}

// RFC 4180 quoting; a leading = + - @ is prefixed with ' so that spreadsheets do not run it
export function csvCell(value) {
  let text = String(value ?? "");
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCSV(rows, columns) {
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return "\uFEFF" + lines.join("\r\n") + "\r\n"; // BOM: Excel then reads the Chinese as UTF-8
}

export function exportCSV(rows, name) {
  const blob = new Blob([toCSV(rows, ["id", "name", "type", "type_label"])], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  download(`${name}.csv`, url);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
