"""A firm's short name: its trade name (字号), by which reports call it after naming it once.

A Chinese enterprise name is place + trade name + industry + legal form (企业名称登记管理
规定): 合肥 + 本源 + 量子计算科技 + 有限责任公司. After the full name, reports say 本源量子,
三一重工, 科大讯飞 — the name without its place and legal form, cut after the trade name
and part of the industry. The trade name is distinctive by law, which is what lets a
document-wide search for such a prefix stay precise; a name that opens with a common word
instead (智能制造, 数字经济) is left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import GENERIC_PARTS, PLACE_ALTERNATION
from .words import COMMON_WORD, word_frequency

_LEGAL_FORM = re.compile(r"(?:(?:集团|控股)?(?:股份有限公司|有限责任公司|有限公司)|集团)$")
_LEADING_PLACE = re.compile(f"(?:{PLACE_ALTERNATION}|中国)[省市区县]?")
_QUALIFIER = re.compile(r"\([^)]*\)")
#: short forms keep at least the trade name and two characters of the industry
_MIN_BRAND = 4
#: a trade name used alone (宇通 3, 华润 29, 新大陆 49) must be rarer still in the dictionary
_RARE_WORD = 100
#: the industry's last word, which a short name keeps after the trade name (容百科技)
_INDUSTRY_ENDS = ("科技",)


@lru_cache(maxsize=4096)
def brand_forms(firm: str) -> tuple[str, ...]:
    """The forms a report may shorten ``firm`` to: prefixes of its name without place and
    legal form, longest first, then its trade name with the industry's last word.

    >>> brand_forms("合肥本源量子计算科技有限责任公司")[-5:]
    ('本源量子计', '本源量子', '本源量', '本源', '本源科技')
    >>> brand_forms("三一重工股份有限公司")
    ('三一重工', '三一重', '三一')
    >>> brand_forms("宇通客车股份有限公司")
    ('宇通客车', '宇通客', '宇通')
    >>> brand_forms("杭州智能制造科技有限公司")  # opens with a field, not a trade name
    ()
    >>> brand_forms("宁波东方电缆股份有限公司")  # a common word opens a four-character core
    ('东方电缆', '宁波东方电缆')
    >>> brand_forms("宁波容百新能源科技股份有限公司")[-2:]  # the industry's middle dropped
    ('容百', '容百科技')
    """
    legal = _LEGAL_FORM.search(firm)
    if legal is None:
        return ()
    core = _QUALIFIER.sub("", firm[:legal.start()])
    place = _LEADING_PLACE.match(core)
    if place:
        core = core[place.end():]
    if len(core) < 2 or GENERIC_PARTS.match(core[:_MIN_BRAND]):
        return ()
    if word_frequency(core[:2]) >= COMMON_WORD:
        # a trade name that is a common word (东方) is read only with its industry, the
        # whole core of four characters (东方电缆), and with its place (宁波东方电缆)
        if len(core) != _MIN_BRAND or GENERIC_PARTS.match(core[2:]):
            return ()
        return (core, place.group(0) + core) if place else (core,)
    forms = [core[:length] for length in range(len(core), _MIN_BRAND - 1, -1)]
    if place and len(core) < _MIN_BRAND:
        forms.append(place.group(0) + core)  # 宁波韵升股份有限公司 → 宁波韵升
    # the trade name alone (宇通客车 → 宇通, 新大陆数字技术 → 新大陆), when jieba's dictionary
    # hardly knows it as a word (the document pass reads these only where they stand alone)
    forms += [core[:length] for length in (3, 2)
              if length < len(core) and word_frequency(core[:length]) < _RARE_WORD]
    rare = word_frequency(core[:2]) < _RARE_WORD
    if rare and len(core) > _MIN_BRAND and core.endswith(_INDUSTRY_ENDS):
        forms.append(core[:2] + core[-2:])  # 容百新能源科技 → 容百科技
    return tuple(dict.fromkeys(forms))
