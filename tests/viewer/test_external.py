"""Organisations outside the district (the reference layer) are marked as such in the viewer
and can be left out of the graph."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from graph.store import open_store
from ingest.loader import load_paths
from tests.conftest import SAMPLE

from .conftest import Incidents, drawn_nodes
from .served import serving_with_reference

Guarded = tuple[Any, Incidents]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("external")
    store = open_store(root / "store")
    load_paths(store, [SAMPLE])
    with serving_with_reference(store, root) as url:
        yield url


def test_external_organisations_are_marked_and_can_be_left_out(guarded: Guarded,
                                                               base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote("region:北京市"))
    with_external = drawn_nodes(page)
    page.uncheck("#show-external")
    page.wait_for_function("location.hash.includes('ext=0')")
    without = drawn_nodes(page, before=with_external)
    assert without == with_external - 2  # 北京大学 and 清华大学
    page.goto(base_url + "/#entity=" + quote("institute:北京大学"))
    expect(page.locator("#entity-name")).to_have_text("北京大学")
    assert page.text_content("#panel #layer-badge") == "区外（参考名录）"
    page.goto(base_url + "/#entity=" + quote("institute:浙江大学温州研究院"))
    expect(page.locator("#entity-name")).to_have_text("浙江大学温州研究院")
    assert page.locator("#panel #layer-badge").count() == 0


def test_a_gap_lists_external_candidates_apart(guarded: Guarded, base_url: str) -> None:
    page, _ = guarded
    page.goto(base_url + "/#chain=" + quote("industry:眼镜") + "&gap="
              + quote("chain_segment:眼镜·镜片与光学材料"))
    page.wait_for_selector("#external-candidates li")
    detail = page.text_content("#gap-detail")
    assert "本地候选" in detail and "区外候选（全国参考名录）" in detail
    outside = page.locator("#external-candidates li").all_text_contents()
    assert len(outside) == 1 and "清华大学" in outside[0] and "光学工程" in outside[0]


def test_an_entity_panel_lists_partners_from_outside_the_district(guarded: Guarded,
                                                                  base_url: str) -> None:
    """An institute of the 整机与成套装备制造 segment: 清华大学 (机械工程, which serves that
    segment) is listed apart as 区外候选, with the reason."""
    page, _ = guarded
    page.goto(base_url + "/#entity=" + quote("institute:华中科技大学温州先进制造技术研究院"))
    page.wait_for_selector("#external-partners li")
    names = page.locator("#external-partners li").all_text_contents()
    assert len(names) == 1 and "清华大学" in names[0] and "机械工程" in names[0]
    local = page.locator("#partners li.partner:not(.external)").all_text_contents()
    assert local and not [n for n in local if "清华大学" in n]
