"""Build ``data/reference/双一流建设高校与学科.csv`` from the public lists it derives from.

The reference layer's university list is the Ministry of Education's own attachment
(``全国普通高等学校名单_2025.xls``), loaded as it is published. This script derives the one
table the ministry does not publish as a spreadsheet: which universities are 双一流 (second
round, 2022), 985 or 211, and their 双一流建设学科 of the first round (2017, 教研函〔2017〕2号
附件2). Inputs (see data/reference/README.md for where each comes from)::

    .venv/bin/python scripts/build_reference.py \\
        --flags py92_cn_schools.csv --disciplines shuangyiliu_2017_disciplines_parsed.csv

``--flags``: columns 学校, 985, 211, 双一流 (是/否). ``--disciplines``: columns school,
discipline, self_defined (0/1). Rows come out sorted by name; nothing is invented: a school
is written only when one of its flags is 是 or it has a 2017 discipline.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "reference" / "双一流建设高校与学科.csv"
#: flag column of the flags file → the words written into 级别
LEVELS = (("双一流", "双一流建设高校"), ("985", "985工程"), ("211", "211工程"))
HEADER = ["学校名称", "别名", "级别", "双一流建设学科", "备注"]
#: 2017 names of universities renamed since (the current name is the MoE list's), with when
RENAMED = {"上海体育学院": ("上海体育大学", "2023年更名"),
           "第二军医大学": ("海军军医大学", "2017年更名"),
           "第四军医大学": ("空军军医大学", "2017年更名")}


def _flags(path: Path) -> dict[str, list[str]]:
    levels: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            missing = [c for c in ("学校", *(f for f, _ in LEVELS)) if c not in row]
            if missing:
                raise SystemExit(f"{path}, line {line}: no column {missing[0]}")
            found = [word for flag, word in LEVELS if row[flag].strip() == "是"]
            if found:
                levels[row["学校"].strip()] = found
    return levels


def _disciplines(path: Path) -> dict[str, list[str]]:
    by_school: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["discipline"].strip() + ("（自定）" if row["self_defined"] == "1" else "")
            school = row["school"].strip()
            by_school[RENAMED.get(school, (school, ""))[0]].append(name)
    return by_school


def build(flags: Path, disciplines: Path, out: Path = OUT) -> int:
    """Write the table; return its row count."""
    levels, subjects = _flags(flags), _disciplines(disciplines)
    rows = []
    former = {new: (old, when) for old, (new, when) in RENAMED.items()}
    for school in sorted(set(levels) | set(subjects)):
        old, when = former.get(school, ("", ""))
        note = "；".join(n for n in (f"原名{old}，{when}" if old else "",
                                     "" if school in levels else "2017年首轮建设学科所在高校") if n)
        rows.append([school, old, "；".join(levels.get(school, [])),
                     "；".join(subjects.get(school, [])), note])
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flags", type=Path, required=True)
    parser.add_argument("--disciplines", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    print(f"wrote {build(args.flags, args.disciplines, args.out)} rows to {args.out}")


if __name__ == "__main__":
    main()
