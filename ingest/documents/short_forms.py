"""How a short form relates to the name it shortens: it picks the name's characters in
order (白山云 from 贵州白山云科技股份有限公司, 西工大 from 西北工业大学).

Used where a document shortens a name: abbreviations (:mod:`.abbreviations`), short names
declared in brackets (:mod:`.discourse`), and telling such a bracket from a place
qualifier after a name (香港科技大学(广州)).
"""

from __future__ import annotations


def picks_in_order(short: str, full: str) -> bool:
    """Every character of ``short`` occurs in ``full``, in the same order.

    >>> picks_in_order("白山云", "贵州白山云科技股份有限公司"), picks_in_order("广州", "香港科技大学")
    (True, False)
    """
    rest = iter(full)
    return all(char in rest for char in short)


def is_abbreviation(short: str, full: str) -> bool:
    """``short`` keeps ``full``'s first character and picks the rest, in order, from it.

    >>> is_abbreviation("西工大", "西北工业大学"), is_abbreviation("中国科大", "中国科学技术大学")
    (True, True)
    >>> is_abbreviation("北大", "西北工业大学")
    False
    """
    return short[:1] == full[:1] and picks_in_order(short[1:], full[1:])
