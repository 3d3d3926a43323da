"""Every notebook in notebooks/ runs top to bottom, and is committed without outputs.

Each notebook runs in a fresh ipykernel of this Python (nbclient), with its store and its
exports in a temporary folder (``INNOGRAPH_NOTEBOOK_STORE``, ``INNOGRAPH_NOTEBOOK_OUT``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbclient
import nbformat
import pandas as pd
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = ["01_ecosystem_overview.ipynb", "02_partner_search.ipynb",
            "03_talent_team_links.ipynb", "04_chain_gaps.ipynb",
            "05_partners_beyond_the_district.ipynb"]
CELL_TIMEOUT = 120  # seconds: a guard against a hung kernel, not a speed target


def test_the_notebooks_are_there() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_committed_notebook_has_no_outputs(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    assert book.metadata.kernelspec.name == "python3"
    for index, cell in enumerate(book.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name} cell {index} carries outputs"
            assert cell.execution_count is None, f"{name} cell {index} has an execution count"


def _write_kernel_spec(jupyter_path: Path, name: str) -> None:
    """A kernel spec running ipykernel on this Python, under ``jupyter_path/kernels``."""
    spec = jupyter_path / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"Python 3 ({name})", "language": "python"}))


def _kernel_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Environment the kernel inherits: temporary store and output folders, the checkout on
    the path (an editable install made before a package was added does not map it),
    matplotlib drawing into the outputs, and a python3 kernel spec (made here, in a
    temporary JUPYTER_PATH, only when none is installed: nothing is registered globally)."""
    monkeypatch.setenv("INNOGRAPH_NOTEBOOK_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("INNOGRAPH_NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        _write_kernel_spec(tmp_path / "jupyter", "python3")
        monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))


def test_fallback_kernel_spec_runs_this_python(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _write_kernel_spec(tmp_path / "jupyter", "innograph-fallback")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys; print(sys.executable)")])
    nbclient.NotebookClient(book, kernel_name="innograph-fallback",
                            timeout=CELL_TIMEOUT).execute()
    assert book.cells[0].outputs[0].text.strip() == sys.executable


def _run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    _kernel_env(tmp_path, monkeypatch)
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(book, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    assert (tmp_path / "store").is_dir(), "the notebook did not use INNOGRAPH_NOTEBOOK_STORE"
    return book


def _outputs(book: nbformat.NotebookNode, kind: str) -> list[str]:
    """Every output of a mime type (``text/plain``, ``image/png``, ``text/html``) or of the
    stream kind (``stream``), as text."""
    found = []
    for cell in book.cells:
        for output in cell.get("outputs", []):
            if kind == "stream" and output.output_type == "stream":
                found.append(output.text)
            elif kind in output.get("data", {}):
                found.append(output.data[kind])
    return found


def _inline_graphs(book: nbformat.NotebookNode) -> list[str]:
    return [h for h in _outputs(book, "text/html") if h.startswith("<div><iframe srcdoc=")]


def test_01_ecosystem_overview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _run("01_ecosystem_overview.ipynb", tmp_path, monkeypatch)
    printed = "".join(_outputs(book, "stream"))
    assert "中文字体" in printed or "未找到中文字体" in printed  # the font line is shown
    assert "127 actors" in printed and "最密的分组" in printed
    assert len(_outputs(book, "image/png")) >= 5
    tables = "".join(_outputs(book, "text/plain"))
    assert all(chain in tables for chain in ("眼镜", "智能锁具", "生命健康", "智能装备"))


def test_02_partner_search(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _run("02_partner_search.ipynb", tmp_path, monkeypatch)
    printed = "".join(_outputs(book, "stream"))
    assert "威凯检测技术有限公司" in printed and "缺口环节： 眼镜·镜片与光学材料" in printed
    graphs = _inline_graphs(book)
    assert len(graphs) == 3
    assert all("vis.Network" in g and "src=&quot;http" not in g for g in graphs)


def test_03_talent_team_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _run("03_talent_team_links.ipynb", tmp_path, monkeypatch)
    tables = "".join(_outputs(book, "text/plain"))
    assert "叶志镇院士团队 —依托→ 浙江大学温州研究院" in tables and "瓯江实验室" in tables
    assert len(_inline_graphs(book)) == 1 and len(_outputs(book, "image/png")) == 2


def test_04_chain_gaps_exports_the_meeting_table(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    book = _run("04_chain_gaps.ipynb", tmp_path, monkeypatch)
    exported = list((tmp_path / "out").glob("*.xlsx"))
    assert [p.name for p in exported] == ["补链候选_温州.xlsx"]
    sheets = pd.read_excel(exported[0], sheet_name=None, engine="calamine")
    assert list(sheets) == ["补链候选", "产业链环节"]
    table = sheets["补链候选"]
    assert set(table["产业"]) == {"眼镜", "智能锁具", "生命健康", "智能装备"}
    assert {"镜片与光学材料", "锁芯与五金件"} <= set(table["环节"])
    assert table["推荐理由"].notna().all()
    assert len(_inline_graphs(book)) == 1  # the chain map


def test_05_partners_beyond_the_district(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _run("05_partners_beyond_the_district.ipynb", tmp_path, monkeypatch)
    printed = "".join(_outputs(book, "stream"))
    assert "参考名录：读入" in printed and "拒收 0 行" in printed
    assert "reference" in printed and "local" in printed
    assert "为这些环节找区外候选： 眼镜·镜片与光学材料" in printed
    tables = "".join(_outputs(book, "text/plain"))
    assert "光学工程（双一流建设学科）服务于眼镜·镜片与光学材料" in tables or "服务于" in tables
    assert "区外候选" in tables and "1. " in printed  # the institute's external partners
