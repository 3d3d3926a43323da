"""The command-line contract, run as a real process (exit codes, --json, one-line errors)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INNOGRAPH_REJECTS_DIR": str(store.parent / "rejects")}
    return subprocess.run([sys.executable, "-m", "innograph", "--store", str(store), *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    (folder / "entities.csv").write_text(
        "name,type,aliases\n浙江大学温州研究院,institute,浙大温州研究院\n华联机械,enterprise,\n"
        "瓯海区,region,\n叶志镇,person,\n叶志镇院士团队,talent_team,\n,enterprise,\n",
        encoding="utf-8")
    (folder / "relations.csv").write_text(
        "source,target,relation,kind\n华联机械,浙大温州研究院,partnership,共建\n"
        "浙江大学温州研究院,瓯海区,located_in,\n叶志镇,叶志镇院士团队,leads,\n"
        "叶志镇院士团队,浙江大学温州研究院,affiliated_with,\n", encoding="utf-8")
    store = folder / "store"
    result = run(store, "ingest", str(folder / "entities.csv"), str(folder / "relations.csv"),
                 "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows_read"] == 10 and summary["rejected"] == 1
    assert Path(summary["rejects_path"]).is_file()
    return store


def test_search_resolve_neighbors_path_stats(loaded: Path) -> None:
    hits = json.loads(run(loaded, "search", "hljx", "--json").stdout)["items"]
    assert hits[0]["name"] == "华联机械" and hits[0]["matched_on"] == "initials"
    resolved = json.loads(run(loaded, "resolve", "浙大溫州研究院", "--json").stdout)
    assert resolved["id"] == "institute:浙江大学温州研究院"
    hood = json.loads(run(loaded, "neighbors", "浙大温州研究院", "--depth", "2", "--json").stdout)
    assert len(hood["nodes"]) == 5 and hood["truncated"] is False
    paths = json.loads(run(loaded, "path", "华联机械", "叶志镇", "--json").stdout)["paths"]
    assert [n["name"] for n in paths[0]["nodes"]] == ["华联机械", "浙江大学温州研究院",
                                                      "叶志镇院士团队", "叶志镇"]
    stats = json.loads(run(loaded, "stats", "--json").stdout)
    assert stats["entities"] == 5 and len(stats["content_hash"]) == 64
    human = run(loaded, "path", "华联机械", "瓯海区")
    assert "华联机械 -[合作]→ 浙江大学温州研究院 -[位于]→ 瓯海区" in human.stdout


def test_errors_are_one_line_with_exit_codes(loaded: Path, tmp_path: Path) -> None:
    missing = run(loaded, "resolve", "不存在", "--json")
    assert missing.returncode == 1 and missing.stderr.strip() == "error: no entity matches '不存在'"
    bad_depth = run(loaded, "neighbors", "华联机械", "--depth", "9")
    assert bad_depth.returncode == 2 and "depth" in bad_depth.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    unreadable = run(loaded, "ingest", str(empty))
    assert unreadable.returncode == 2
    assert unreadable.stderr.strip() == f"error: {empty}: file is empty"
    no_store = run(tmp_path / "nowhere", "stats")
    assert no_store.returncode == 3 and "no graph here yet" in no_store.stderr


def test_export_formats(loaded: Path, tmp_path: Path) -> None:
    for fmt, out in (("json", tmp_path / "g.json"), ("csv", tmp_path / "csv"),
                     ("graphml", tmp_path / "g.graphml")):
        result = json.loads(run(loaded, "export", "--format", fmt, "--out", str(out),
                                "--json").stdout)
        assert result["entities"] == 5 and result["relations"] == 4
    bad = run(loaded, "export", "--format", "xml", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "--format" in bad.stderr


def test_every_command_has_help() -> None:
    commands = ["ingest", "search", "resolve", "neighbors", "path", "stats", "export", "serve",
                "demo"]
    for command in commands:
        result = subprocess.run([sys.executable, "-m", "innograph", command, "--help"],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "Usage" in result.stdout, command


def test_ingest_sends_tables_to_the_graph_and_documents_to_review(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("name,type\n瓯江实验室,institute\n", encoding="utf-8")
    (tmp_path / "report.txt").write_text("一、创新平台\n瓯江实验室与温州医科大学共建研究院。\n",
                                         encoding="utf-8")
    result = run(tmp_path / "store", "ingest", str(tmp_path / "e.csv"),
                 str(tmp_path / "report.txt"), "--json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["tables"]["created"]["entities"] == 1
    assert body["documents"]["documents"][0]["doc"] == "report"
    assert sum(body["documents"]["candidates"].values()) > 0


def test_a_bureau_list_through_the_cli_dry_run_show_and_sources(tmp_path: Path) -> None:
    """The issue-14 list shape end to end: --dry-run explains, the load adds to the sample,
    `show` lists each source and `sources remove` takes one back."""
    store = tmp_path / "store"
    assert run(store, "ingest", str(SAMPLE), "--json").returncode == 0
    listing = tmp_path / "名单.csv"
    listing.write_text("2024年瓯海区科技型企业名单\n序号,孵化器名称,所在地区,级别\n"
                       "瓯海区（1家）,,,\n1,青科孵化器,瓯海区,省级\n注：排名不分先后,,,\n",
                       encoding="gb18030")
    dry = run(store, "ingest", str(listing), "--dry-run")
    assert dry.returncode == 0 and "government_list" in dry.stdout
    assert "nothing written" in " ".join(dry.stdout.split())
    loaded = json.loads(run(store, "ingest", str(listing), "--json").stdout)
    assert loaded["merge"]["merged"]["entities"] == 1
    shown = json.loads(run(store, "show", "青科孵化器", "--json").stdout)
    assert shown["props"]["level"] == "省级" and shown["props"]["description"]
    assert len(shown["sources"]) == 2
    sources = json.loads(run(store, "sources", "--json").stdout)["sources"]
    mine = [s["source"] for s in sources if s["source"].startswith(str(listing))]
    assert len(mine) == 1 and run(store, "sources", "remove", mine[0]).returncode == 0
    again = json.loads(run(store, "show", "青科孵化器", "--json").stdout)
    assert "level" not in again["props"] and len(again["sources"]) == 1


def _sample_and_reference(tmp_path: Path, listing: str) -> Path:
    """A store with the sample, then ``listing`` (a CSV's text) loaded with --reference."""
    store = tmp_path / "store"
    assert run(store, "ingest", str(SAMPLE), "--json").returncode == 0
    path = tmp_path / "名录.csv"
    path.write_text(listing, encoding="utf-8")
    assert run(store, "ingest", "--reference", str(path)).returncode == 0
    return store


def test_the_reference_layer_through_the_cli(tmp_path: Path) -> None:
    """`ingest --reference` keeps a list apart: `show` says an organisation is outside the
    district, and a district record it also names stays local."""
    store = _sample_and_reference(tmp_path, "学校名称,所在地,学校标识码\n"
                                  "北京大学,北京市,4111010001\n温州大学,温州市,4133010351\n")
    pku = run(store, "show", "北京大学")
    assert "区外机构" in pku.stdout
    assert json.loads(run(store, "show", "北京大学", "--json").stdout)["layer"] == "reference"
    wzu = json.loads(run(store, "show", "温州大学", "--json").stdout)
    assert wzu["layer"] == "local" and wzu["props"]["institution_code"] == "4133010351"
    assert "区外机构" not in run(store, "show", "温州大学").stdout


def test_partners_beyond_the_district_through_the_cli(tmp_path: Path) -> None:
    store = _sample_and_reference(tmp_path, "学校名称,所在地,双一流建设学科,级别\n"
                                  "北京理工大学,北京市,光学工程,双一流建设高校\n")
    shown = run(store, "analyze", "recommend", "眼镜·镜片与光学材料", "--scope", "all")
    assert shown.returncode == 0 and "区外候选" in shown.stdout and "北京理工大学" in shown.stdout
    body = json.loads(run(store, "analyze", "recommend", "眼镜·镜片与光学材料", "--scope",
                          "external", "--json").stdout)
    assert body["recommendations"] == []
    assert [c["entity"]["name"] for c in body["external"]["items"]] == ["北京理工大学"]
    assert run(store, "analyze", "recommend", "眼镜", "--scope", "nowhere").returncode == 2


# Loaded only by the commands that need them: each costs tens to hundreds of milliseconds
# of start-up (bench/cli_startup.py times it), and `innograph --help` needs none of them.
HEAVY = ("graph.settings", "graph.store", "graph.search", "graph.analytics", "ingest", "viz",
         "api", "innograph.notebook", "ladybug", "pyarrow", "pandas", "numpy", "networkx",
         "jieba", "rjieba", "pypinyin", "pydantic_settings", "docx", "uvicorn", "fastapi")


def _modules_after(*argv: str) -> set[str]:
    """Every module loaded by ``innograph ARGV`` (a help page: nothing opens a store)."""
    code = ("import json, sys\nfrom innograph.cli import app\ntry:\n    app(sys.argv[1:])\n"
            "except SystemExit:\n    pass\nprint(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True,
                            text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("argv", [(), ("--help",), ("search", "--help"),
                                  ("review", "list", "--help"), ("analyze", "--help")])
def test_help_loads_no_library_module_beyond_schema(argv: tuple[str, ...]) -> None:
    loaded = _modules_after(*argv)
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or
                   any(m == h or m.startswith(h + ".") for h in HEAVY))
    outermost = [m for m in heavy if m.rpartition(".")[0] not in heavy]
    assert heavy == [], f"innograph {' '.join(argv)} imported {outermost}"
    assert {"innograph.cli", "innograph.cli_docs", "schema"} <= loaded


def test_a_pypi_schema_ahead_on_the_path_stops_innograph_with_one_clear_error(
        tmp_path: Path) -> None:
    """PyPI's `schema` has innograph's import name. An editable install finds it first when it
    is in site-packages (setuptools' editable finder comes after sys.path); PYTHONPATH puts a
    stand-in ahead here the same way. innograph must refuse it, not run on it."""
    shadow = tmp_path / "site" / "schema"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text(
        '"""schema is a library for validating Python data structures (stand-in)."""\n'
        "class Schema:\n    pass\n\n\nclass SchemaError(Exception):\n    pass\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(ROOT)])}
    result = subprocess.run([sys.executable, "-m", "innograph", "--help"], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path, env=env)
    assert result.returncode != 0 and "Usage" not in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: `import schema` loaded ") and str(shadow) in last
    assert "PyPI distribution 'schema'" in last and "pip uninstall schema" in last
    env["PYTHONPATH"] = str(ROOT)  # the same process without the stand-in runs
    ours = subprocess.run([sys.executable, "-m", "innograph", "--help"], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path, env=env)
    assert ours.returncode == 0 and "Usage" in ours.stdout


def test_no_installed_distribution_but_innograph_provides_schema() -> None:
    """Nothing innograph or its dev tools install brings PyPI's `schema` (which would write
    into the same site-packages/schema/ folder, or shadow an editable install)."""
    providers = set()
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        top_level = (dist.read_text("top_level.txt") or "").split()
        files = [f.parts[0] for f in dist.files or () if f.parts]
        if name != "innograph" and ("schema" in top_level or "schema" in files
                                    or "schema.py" in files):
            providers.add(name)
    assert providers == set()


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("4", "4")])
def test_commands_start_numpy_with_one_blas_thread_unless_the_user_chose(
        given: str | None, expected: str) -> None:
    """OpenBLAS starts a thread per core when numpy is imported, which no command uses."""
    code = ("import os, sys\nfrom innograph import cli\ncli.app = lambda: None\ncli.main()\n"
            "import numpy\nprint(os.environ['OPENBLAS_NUM_THREADS'])")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected]


@pytest.mark.parametrize(("threshold", "saved"), [("0", True), ("50000", False), (None, False)])
def test_a_large_load_leaves_the_servers_indexes_beside_the_store(
        tmp_path: Path, threshold: str | None, saved: bool) -> None:
    """A load into a store of at least INNOGRAPH_SAVE_INDEXES_FROM entities ends by saving the
    server's indexes (the sample's 201 count as large when the threshold is 0; unset: never),
    so the next `innograph serve` maps them; the saved copy answers as a fresh build does."""
    from graph.saved_indexes import build, load_saved
    from graph.store import open_store

    store = tmp_path / "store"
    result = subprocess.run(
        [sys.executable, "-m", "innograph", "--store", str(store), "ingest", str(SAMPLE)],
        capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if k != "INNOGRAPH_SAVE_INDEXES_FROM"},
             **({"INNOGRAPH_SAVE_INDEXES_FROM": threshold} if threshold is not None else {}),
             "INNOGRAPH_REJECTS_DIR": str(tmp_path / "rejects")})
    assert result.returncode == 0, result.stderr
    assert ("检索索引已保存" in result.stderr) is saved
    with open_store(store, read_only=True) as opened:
        found = load_saved(opened)
        assert (found is not None) is saved
        if found is not None:
            fresh = build(opened, pinyin_now=True)
            for query in ("温州", "wenzhou", "wzdx", "瓯海", "浙大", "溫州大學"):
                assert found.search.search(query) == fresh.search.search(query), query


def test_a_search_loads_neither_pandas_nor_arrows_compute_module(tmp_path: Path) -> None:
    """`pa.array` and `Array.to_numpy` import pandas (~140 ms), `Array.take` pyarrow.compute
    (~30 ms) and `np.unique` numpy.ma: a search on a small store needs none of them."""
    store = tmp_path / "store"
    assert run(store, "ingest", str(SAMPLE), "--json").returncode == 0
    code = ("import json, sys\nfrom innograph.cli import app\ntry:\n    app(sys.argv[1:])\n"
            "except SystemExit:\n    pass\nprint(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code, "--store", str(store), "search",
                             "温州", "--json"], capture_output=True, text=True, timeout=60,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert json.loads(result.stdout.splitlines()[0])["items"], "the search found nothing"
    assert not loaded & {"pandas", "pyarrow.compute", "numpy.ma"}


def test_a_core_command_runs_through_an_app_without_the_groups_and_reads_the_same() -> None:
    """main() runs this module's own commands through CORE_APP (typer then converts 10
    commands, not 50); every command of the full app is in exactly one of the two, and a
    core command's help is the same through either."""
    import typer.main
    from typer.testing import CliRunner

    from innograph import cli

    every = {c.name for c in typer.main.get_command(cli.app).commands.values()}  # type: ignore[attr-defined]
    core = {c.name for c in typer.main.get_command(cli.CORE_APP).commands.values()}  # type: ignore[attr-defined]
    assert core == set(cli.CORE_COMMANDS) and core < every
    runner = CliRunner()
    for name in sorted(core):
        through_core = runner.invoke(cli.CORE_APP, [name, "--help"], prog_name="innograph")
        through_all = runner.invoke(cli.app, [name, "--help"], prog_name="innograph")
        assert through_core.exit_code == through_all.exit_code == 0, name
        assert through_core.output == through_all.output, name


@pytest.mark.parametrize(("argv", "asked"), [
    (["search", "x"], "search"), (["--store", "search", "show", "x"], "show"),
    (["--store=/tmp/s", "analyze", "scores"], "analyze"), (["--help"], None), ([], None)])
def test_the_command_asked_is_found_after_the_global_options(
        argv: list[str], asked: str | None) -> None:
    from innograph.cli import _command_asked

    assert _command_asked(argv) == asked
