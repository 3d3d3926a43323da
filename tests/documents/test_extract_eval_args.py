"""The dev-set benchmark refuses a part it does not have, naming it and the parts it has."""

from __future__ import annotations

import sys

import pytest

from bench import extract_eval


def test_skipping_an_unknown_part_is_an_error_that_names_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["extract_eval", "--skip", "heldout99"])
    with pytest.raises(SystemExit) as exit_info:
        extract_eval.main()
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "--skip heldout99: no such dev-set part" in error
    assert "heldout3" in error  # the parts it does have
