"""Settings come from ``INNOGRAPH_*`` variables as pydantic-settings read them."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graph.settings import Settings, get_settings


def test_variables_fill_fields_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("innograph_port", "9001")
    monkeypatch.setenv("INNOGRAPH_CORS_ORIGINS", '["https://zs.wenzhou.example"]')
    settings = get_settings()
    assert settings.port == 9001
    assert settings.cors_origins == ["https://zs.wenzhou.example"]


def test_arguments_win_over_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_PORT", "9001")
    assert Settings(port=8123).port == 8123
    assert get_settings(port=8124).port == 8124
    assert get_settings(port=None).port == 9001  # None means "not given"


def test_blank_key_disables_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOGRAPH_API_KEY", "  ")
    assert get_settings().api_key is None


@pytest.mark.parametrize(("variable", "value", "named"), [
    ("INNOGRAPH_PORT", "0", "port"),
    ("INNOGRAPH_CORS_ORIGINS", "https://a.example", "INNOGRAPH_CORS_ORIGINS"),
])
def test_bad_values_name_the_setting(monkeypatch: pytest.MonkeyPatch, variable: str, value: str,
                                     named: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=named):
        get_settings()
