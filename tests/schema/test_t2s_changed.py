"""The saved list of characters OpenCC's t2s changes is the one OpenCC gives today (an
OpenCC upgrade that changes it fails here: regenerate ``schema/data/t2s_changed.txt``)."""

from __future__ import annotations

from schema.names import T2S_CHANGED, changed_by_opencc, to_simplified


def test_the_saved_characters_are_what_opencc_changes() -> None:
    saved = frozenset(T2S_CHANGED.read_text(encoding="utf-8").strip())
    assert saved == changed_by_opencc(), (
        "regenerate: python -c \"from schema.names import T2S_CHANGED, changed_by_opencc; "
        "T2S_CHANGED.write_text(''.join(sorted(changed_by_opencc())) + '\\n', 'utf-8')\"")


def test_simplified_text_never_reaches_opencc_and_traditional_does() -> None:
    assert to_simplified("温州医科大学") == "温州医科大学"
    assert to_simplified("溫州醫科大學") == "温州医科大学"
