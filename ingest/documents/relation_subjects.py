"""Who a clause is about, when its verb does not follow its subject directly: the words
that may stand between them (adverbs, dates, a declared short name's bracket) and the
subject an earlier clause names (引进…团队,落户B; B于3月揭牌运行,依托A建设; 该平台依托A)."""

from __future__ import annotations

import re

from schema import EntityType

from .mentions import Mention
from .relation_findings import clause_bounds
from .sections import Sentence

# what may stand between a subject and its verb: adverbs and dates (今年3月落户, 近日投资,
# 于2023年6月入驻), after a short name the document declares (A(以下简称“X”)2024年6月与B)
BETWEEN = re.compile(r"(?:\((?:以下)?简称[^()]{1,16}\)|[”\"」]?\))?"
                    r"(?:已经?|将|正式|成功|先后|近日|日前|全年|年内|当年|同年|同时|同期|还|也|则|"
                    r"分别|首期|共同|当天|当日|同日|宣布|于|并|其中|"
                    r"[一二三四五六七八九十]期|"
                    r"(?:今|去|明)年|(?:19|20)\d\d年|\d{1,2}月(?:份)?|\d{1,2}日)*")
# …,研究院将落户B / 团队将入驻B: a bare kind word opening a clause refers back too
_ANAPHOR = re.compile(r"(?:该|这一)?(平台|中心|实验室|研究院|基金|园区|企业|公司|团队)"
                      r"(?:还|将|已|也)?(?:(?:总部|研发总部|研发中心|生产基地|工厂|分部)[及和、]?)*"
                      r"(?:还|将|已|也)?")  # 公司研发中心已落户B: what it brings
# X成立于2020年,是一家入驻B的企业: the clause describes the earlier clause's subject
_IS_A = re.compile(r"(?:也|还)?是(?:一家|一个|一所|一支|一座)")
_ANAPHOR_KINDS = {
    "平台": {EntityType.platform}, "中心": {EntityType.platform, EntityType.institute},
    "实验室": {EntityType.institute}, "研究院": {EntityType.institute}, "基金": {EntityType.fund},
    "园区": {EntityType.park, EntityType.incubator}, "企业": {EntityType.enterprise},
    "公司": {EntityType.enterprise}, "团队": {EntityType.talent_team}}


def earlier_subject(text: str, sentence: Sentence, parties: list[Mention], clause_start: int,
                    trigger_start: int) -> Mention | None:
    """The subject of a clause that opens with its verb, named in an earlier clause:
    引进…团队,落户B (the last clause ends with it); B于3月揭牌运行,依托A建设 (the last clause
    opens with it); X平台正式启动,该平台依托A建设 (该平台 refers back to it)."""
    opener = text[clause_start:trigger_start]
    earlier = [m for m in parties if sentence.start <= m.start and m.end < clause_start]
    if not earlier:
        return None
    anaphor = _ANAPHOR.fullmatch(opener)
    if anaphor:
        kinds = _ANAPHOR_KINDS[anaphor.group(1)]
        return next((m for m in reversed(earlier) if m.type in kinds), None)
    if BETWEEN.fullmatch(opener) is None and _IS_A.fullmatch(opener) is None:
        return None
    if earlier[-1].end >= clause_start - 1:
        return earlier[-1]
    last_start, _ = clause_bounds(text, clause_start - 1, sentence)
    return next((m for m in earlier if last_start <= m.start <= last_start + 2), None)
