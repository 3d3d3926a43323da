"""The boundary rules, as data: where a new name begins, which readings of a kind word are no
name, and what a name runs on over. One entry per rule, each with example sentences.

A name is read right to left from its kind word (研究院, 有限公司: :data:`.patterns.SUFFIXES`)
by :func:`.boundaries.name_start`, over jieba's words, then judged in
:mod:`.mentions`. The rules here decide it, by kind (:data:`KINDS`; the code of each kind is
one loop over its rules):

- ``stop``: a word that ends the leftward read (推进|温州大学);
- ``keep``: a word jieba tags as a verb that names are made of (合肥|创新|产业园), a
  conjunction joining two fields (工业和信息化), a county jieba hardly knows (正定);
- ``cut``: inside what the read took, the name begins after a match (检测机构|威凯公司);
- ``named``: a reading with no proper noun in it is still a name (共建的|聚变能源联合实验室);
- ``veto``: a reading that is no name (三大创新中心, 国家自然科学基金);
- ``extend``: a name runs on over what follows its kind word (香港科技大学(广州));
- ``retype``: a reading takes another type than its kind word's (…投资基金有限公司 → fund).

``tests/documents/test_boundary_rules.py`` turns every example into a test case (the whole
extractor reads the sentence, patterns only: each ``find`` must be read, with its type, and
no ``miss``), and checks that each rule is needed: without it, one of its examples fails. A
new rule is one entry here, with its examples; a new *kind* is new code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema import EntityType as E

from .patterns import (
    GENERIC_PARTS,
    LEFT_STOPS,
    PARK_PARTS,
    PLACE_ALTERNATION,
    QUALIFIER,
    RESEARCH_OWNER,
    SUFFIX_PATTERN,
    SUFFIXES,
)
from .words import word_frequency

KINDS: dict[str, str] = {
    "stop": "the leftward read of a name ends before this word",
    "keep": "a word jieba tags as a verb or function word is read into the name",
    "cut": "the name begins after this match, inside what the read took",
    "named": "a kind word's reading is a name even without a proper noun in it",
    "veto": "a kind word's reading is no name",
    "extend": "the name runs on over what follows its kind word",
    "retype": "the name takes another type than its kind word gives",
}


@dataclass(frozen=True)
class Example:
    """A sentence, the names (as written, with their type) that must be read from it, and
    names that must not be read as a mention of their own."""

    text: str
    find: tuple[tuple[str, str], ...] = ()
    miss: tuple[str, ...] = ()


def _ex(text: str, *find: str, miss: str = "") -> Example:
    """An example; ``find``: ``"name type"`` strings; ``miss``: space-separated names."""
    return Example(text, tuple(tuple(f.split()) for f in find),  # type: ignore[misc]
                   tuple(miss.split()))


@dataclass(frozen=True)
class Rule:
    """One named boundary rule of a kind (:data:`KINDS`).

    - ``words``: whole words (stop, keep); ``prefixes``: word openings (stop);
    - ``pattern``: what the rule looks for — a whole word (stop), a match in the name's
      specific part (cut, veto, retype), right before it (named: up to three characters
      before) or right after the kind word (extend, veto with ``where="after"``);
    - ``then``: what must follow the kind word (named); ``strong``: the kind word's
      strength (:data:`.patterns.SUFFIXES`) a named rule needs;
    - ``where``: for a keep rule, ``between`` (a conjunction kept only between two
      fields, see :func:`joining`) or ``rare`` (a word of ``length`` characters, tagged one
      of ``words``, that jieba's dictionary counts fewer than ``below`` times, opening the
      name, is a proper name: :func:`rare_name_part`); for a named rule, ``before`` (the
      default), ``specific`` or ``kind`` (the kind word itself); for a veto, ``specific`` (search), ``whole`` (the whole
      specific part), ``end`` (its last characters) or ``after`` (the last two are checked
      before the name is read); for a cut, ``at`` (at the start) or ``last`` (after the
      last match); for a retype, ``parent`` (see ``to``);
    - ``suffixes`` / ``types``: the kind words or types the rule is about (empty: all);
    - ``stage``: a cut of every name (``read``) or only of a kind word's (``kind-word``);
    - ``min_rest``: a cut leaves at least this many characters; ``bounds``: a stop word
      bounds the name clearly (a firm's name may then open with a verb);
    - ``spares_admin``: a veto that spares an administrative prefix (市 is no name, 市科技局
      is); ``declared``: an extension that is a declared short name instead is left out;
    - ``opener``: named when it opens its clause with a kind word at least this strong;
    - ``to``: a retype's type; ``where="parent"``: the type of the parent's kind word the
      pattern finds in the specific part (or an institute for an abbreviation's 院 or 所);
    """

    name: str
    kind: str
    examples: tuple[Example, ...]
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    where: str = ""
    suffixes: frozenset[str] = frozenset()
    types: frozenset[E] = frozenset()
    stage: str = "read"
    min_rest: int = 0
    bounds: bool = False
    spares_admin: bool = False
    declared: bool = False
    opener: float | None = None
    then: re.Pattern[str] | None = None
    strong: float = 0.0
    length: int = 0
    below: int = 0
    to: E | None = None

    def about(self, suffix: str, entity_type: E) -> bool:
        """The rule concerns names ending in ``suffix`` of ``entity_type``."""
        return ((not self.suffixes or suffix in self.suffixes)
                and (not self.types or entity_type in self.types))


def _rule(name: str, kind: str, *examples: Example, words: str = "",
          suffixes: str = "", types: tuple[E, ...] = (), **fields: object) -> Rule:
    """A rule from space-separated words and suffixes."""
    return Rule(name, kind, examples, words=frozenset(words.split()),
                suffixes=frozenset(suffixes.split()), types=frozenset(types),
                **fields)  # type: ignore[arg-type]


_KEY_LABS = "重点实验室 全国重点实验室 国家重点实验室"
#: what is being founded is named even without a proper noun (共建X联合实验室, 共建的X中心)
FOUNDING_VERBS = "共建|组建|成立|设立|筹建|新建"

RULES: tuple[Rule, ...] = (
    # — stop: where the leftward read ends —
    _rule("stop-word", "stop",
          _ex("首批杭州未来研究院揭牌。", "杭州未来研究院 institute", miss="首批杭州未来研究院"),
          words=" ".join(LEFT_STOPS), bounds=True),
    _rule("adverb", "stop",  # jieba joins an adverb to its verb (全力支持)
          _ex("市科技局将全力支持秦岭实验室建设。", "秦岭实验室 institute",
              miss="全力支持秦岭实验室"),
          prefixes=("全力", "大力", "积极", "持续", "着力", "充分", "进一步")),
    _rule("measured-count", "stop",  # … and a count to its measure word (两个, 3家)
          _ex("引进杭州两个研究院。", miss="杭州两个研究院 两个研究院"),
          pattern=re.compile(r"[\d一二两三四五六七八九十几多]+[个家项支批所名]")),
    # — keep: words jieba tags as verbs that names are made of —
    _rule("name-verbs", "keep",
          _ex("合肥创新产业园开园。", "合肥创新产业园 park"),
          _ex("南京先进制造研究院揭牌。", "南京先进制造研究院 institute"),
          words="( ) 创新 创业 孵化 研发 检测 制造 计算 应用 未来 创意 自主 环 先进 高端 精密 "
                "现代 新兴 转化"),
    _rule("joined-fields", "keep",  # a conjunction joining two fields inside a name, when
          #                            no name ends before it and none opens after it
          _ex("贵阳市工业和信息化产业发展引导基金投资贵州芯智科技有限公司。",
              "贵阳市工业和信息化产业发展引导基金 fund"),
          _ex("福州大学机械工程及自动化学院揭牌。", "福州大学机械工程及自动化学院 institute"),
          _ex("东方电缆与上海交通大学共建实验室。", "上海交通大学 institute",
              miss="东方电缆与上海交通大学"),
          words="与 和 及", where="between"),
    _rule("rare-word", "keep",  # 正定, 呈贡: counties jieba hardly knows (83, 2 in its
          #                       dictionary) and takes for verbs or adverbs
          _ex("正定数字经济产业园新引进企业56家。", "正定数字经济产业园 park"),
          _ex("科技园区。呈贡信息产业园新增科技型企业64家。", "呈贡信息产业园 park"),
          _ex("全市上下,夯实创新平台基础,争创国家级创新平台。",  # a rare verb is no proper
              miss="夯实创新平台 争创国家级创新平台"),            # name: it only joins one
          words="v d vn a ad", where="rare", length=2, below=100),
    # — cut: where the name begins inside what the read took —
    _rule("after-investing", "cut",  # 基金领投X公司 (jieba: 领/投)
          _ex("合肥产投领投合肥星辰科技有限公司。", "合肥星辰科技有限公司 enterprise"),
          pattern=re.compile("领投|跟投|参投|注资"), where="last"),
    _rule("after-founding", "cut",  # 基金新设子基金: what follows is what was founded
          _ex("济南天使投资基金新设子基金2支。", "济南天使投资基金 fund",
              miss="济南天使投资基金新设子基金"),
          pattern=re.compile("新设|增设"), where="last"),
    _rule("after-generic-kind", "cut",  # 检测机构威凯公司: the name follows the kind
          _ex("委托检测机构威凯公司开展认证。", "威凯公司 enterprise", miss="检测机构威凯公司"),
          pattern=re.compile("机构|单位|企业|平台"), where="last", min_rest=2),
    _rule("designation-level", "cut",  # 省级智能锁…平台: the level is no name
          _ex("获批省级温州智能锁具检测平台。", "温州智能锁具检测平台 platform",
              miss="省级温州智能锁具检测平台"),
          pattern=re.compile(r"(?:省|市|区|县|国家)级"), where="at", min_rest=2,
          stage="kind-word"),
    # — named: readings that are names without a proper noun —
    _rule("firm-or-fund", "named",  # firms' and funds' names need no proper noun
          _ex("引进超导量子科技有限公司。", "超导量子科技有限公司 enterprise"),
          _ex("设立天使投资引导基金。", "天使投资引导基金 fund"),
          types=(E.enterprise, E.fund)),
    _rule("named-alone", "named",
          _ex("引进医科大学和中医药大学。", "医科大学 institute", "中医药大学 institute"),
          suffixes="大学 医学院"),
    _rule("being-founded", "named",  # 共建X联合实验室, 建设的X中心
          _ex("两校签约共建材料模拟联合研究中心。", "材料模拟联合研究中心 institute"),
          _ex("组建储能技术联盟,新建数字经济产业园。", "储能技术联盟 platform",
              "数字经济产业园 park"),
          pattern=re.compile(f"(?:(?:{FOUNDING_VERBS})的?|建设的)$")),
    _rule("clause-subject", "named",  # reports open clauses with unnamed kinds only in
          #                             generic words, which the generic-part veto rejects
          _ex("会上,未来科技岛签约落地。", "未来科技岛 park"),
          opener=0.75),
    _rule("where-firms-settle", "named",  # 入驻天府国际生物城
          _ex("多家企业入驻数字经济产业园。", "数字经济产业园 park"),
          pattern=re.compile("入驻|落户|落户于|落地于|坐落于|位于"),
          types=(E.park, E.incubator)),
    _rule("declared-short-name", "named",  # a name given a short name is a specific one
          _ex("国家乳业技术创新中心(以下简称“乳业创新中心”)依托内蒙古农业大学建设。"
              "乳业创新中心全年服务企业80家。",
              "国家乳业技术创新中心 platform", "乳业创新中心 platform"),
          then=re.compile(r"(?:\([^()]{1,8}\))?\((?:以下简称|以下称|下称|简称)")),
    _rule("placed", "named",  # 在桥头科学园区落地: where something settles is named
          _ex("日月光公司在桥头科学园区落地先进封装产线。", "桥头科学园区 park"),
          pattern=re.compile("在$"), then=re.compile("落地|落户|建设|布局|投产"),
          types=(E.park, E.incubator), strong=0.75),  # not 新区: often a region
    _rule("city-centre", "named",  # a national centre named after its host city
          _ex("依托国家超级计算长沙中心建设的算力平台上线。", "国家超级计算长沙中心 platform"),
          pattern=re.compile(f"(?:{PLACE_ALTERNATION})中心"), where="kind"),
    _rule("foundation", "named",  # 财团法人: a foundation (Taiwan's research bodies)
          _ex("高雄市政府与财团法人工业技术研究院签署合作备忘录。",
              "财团法人工业技术研究院 institute"),
          pattern=re.compile("财团法人"), where="specific"),
    # — veto: readings that are no name —
    _rule("generic-part", "veto",  # 创新平台, 省级孵化器, 新型研发机构 …
          _ex("全市新增创新平台12家,市科技局牵头。", "市科技局 government",
              miss="创新平台"),
          _ex("会上,科技创新综合体揭牌。", miss="科技创新综合体"),
          pattern=GENERIC_PARTS, where="whole", spares_admin=True),
    _rule("count-or-slogan", "veto",  # 三大创新中心, 一器一园一基金
          _ex("三大产业园集中开工。", miss="三大产业园"),
          pattern=re.compile(r"[一二三四五六七八九十两几多X]大|一.一")),
    _rule("level-of-designation", "veto",  # 山东省重点实验室: a designation, not a lab
          _ex("获批山东省重点实验室3家。", miss="山东省重点实验室"),
          pattern=re.compile(f"(?:{PLACE_ALTERNATION})?[省市区县]?"), where="whole",
          suffixes=_KEY_LABS),
    _rule("science-grant", "veto",  # 国家自然科学基金: a research grant
          _ex("获得国家自然科学基金资助。", miss="国家自然科学基金"),
          _ex("获批浙江省自然科学基金。", miss="浙江省自然科学基金"),
          pattern=re.compile("科学$"), suffixes="基金"),
    _rule("grant-or-prize", "veto",  # …基金获得者, …基金项目
          _ex("他是杭州市青年人才基金获得者。", miss="杭州市青年人才基金"),
          pattern=re.compile("获得者|获得人|资助|项目"), where="after", types=(E.fund,)),
    _rule("word-ending-in-bureau", "veto",  # 布局, 格局, 大局: words, not bureaus
          _ex("优化产业布局,完善发展格局。", miss="产业布局 发展格局"),
          _ex("高雄市政府经济发展局推动招商。", "高雄市政府经济发展局 government"),
          pattern=re.compile("(?:布|格|大|开|当|结|全|时|棋|僵|骗|变|定|出|破|终|败|胜|残|饭|"
                             "邮|赌|新)$"), where="end", suffixes="局"),
    _rule("word-ending-in-hall", "veto",  # 展厅, 大厅, 餐厅: halls, not departments
          _ex("建成科技展厅和政务服务大厅。", miss="科技展厅 政务服务大厅"),
          pattern=re.compile("(?:大|展|餐|客|门|舞|前|歌)$"), where="end", suffixes="厅"),
    _rule("title-after-a-body", "veto",  # 科技局局长: the title, not a second body
          _ex("甘肃省水利厅厅长一行调研。", "甘肃省水利厅 government", miss="甘肃省水利厅厅"),
          pattern=re.compile("长|面|部|势|限"), where="after", suffixes="局 厅"),
    _rule("meeting-not-federation", "veto",  # 联合会议: a joint meeting, not a federation
          _ex("宁波市企业联合会参与,市工商联合会议召开。", "宁波市企业联合会 platform",
              miss="市工商联合会 工商联合会"),
          pattern=re.compile("议"), where="after", suffixes="联合会"),
    # — extend: what a name runs on over —
    _rule("place-qualifier", "extend",  # 香港科技大学(广州), 杭州高新区(滨江)
          _ex("香港科技大学(广州)揭牌。", "香港科技大学(广州) institute"),
          _ex("贵州白山云科技股份有限公司(白山云)上市。",  # … a declared short name is not
              "贵州白山云科技股份有限公司 enterprise", miss="贵州白山云科技股份有限公司(白山云)"),
          pattern=QUALIFIER, declared=True),
    _rule("park-part", "extend",  # a part of a park named as a place of its own
          _ex("浙南科技城核心区开工。", "浙南科技城核心区 park"),
          pattern=PARK_PARTS, types=(E.park,)),
    # — retype —
    _rule("fund-vehicle", "retype",  # 股权投资合伙企业(有限合伙): a fund's vehicle
          _ex("设立杭州创新股权投资合伙企业。", "杭州创新股权投资合伙企业 fund"),
          pattern=re.compile("投资|基金"), suffixes="合伙企业", to=E.fund),
    _rule("fund-company", "retype",  # 产业股权投资基金有限公司
          _ex("广西产业股权投资基金有限公司完成募集。", "广西产业股权投资基金有限公司 fund"),
          pattern=re.compile("基金"), types=(E.enterprise,), to=E.fund),
    _rule("body-of-a-parent", "retype",  # a branch or base of an organisation is of its type
          _ex("厦门科技大市场同安分中心揭牌。", "厦门科技大市场同安分中心 platform"),
          _ex("浙大昆明院中试基地投用。", "浙大昆明院中试基地 institute"),
          _ex("南宁高新区生物医药中试基地投用。", "南宁高新区生物医药中试基地 platform"),
          pattern=re.compile(f"(?:{SUFFIX_PATTERN.pattern})(?!.*(?:{SUFFIX_PATTERN.pattern}))|"
                             "(?<=[\u4e00-\u9fff])[院所]$"),
          suffixes="分中心 分部 分院 中试基地", where="parent"),
    _rule("owned-body", "retype",  # a university's centre, a lab's advisory committee
          _ex("西北大学技术转移中心与西安中欧技术转移中心签约。",
              "西北大学技术转移中心 institute", "西安中欧技术转移中心 platform"),
          pattern=RESEARCH_OWNER, suffixes="创新中心 委员会 技术转移中心", to=E.institute),
)


#: :data:`RULES` by kind, and the table they were read from (rebuilt when a test swaps it)
_BY_KIND: dict[str, tuple[Rule, ...]] = {}
_INDEXED: list[tuple[Rule, ...]] = []


def of_kind(kind: str) -> tuple[Rule, ...]:
    """The rules of ``kind`` (a key of :data:`KINDS`), in table order, from :data:`RULES`
    as it is now (a test takes rules out to show each is needed). Indexed once: the walk
    over a name's words asks for every word."""
    if not _INDEXED or _INDEXED[0] is not RULES:
        _BY_KIND.clear()
        for rule in RULES:
            _BY_KIND[rule.kind] = (*_BY_KIND.get(rule.kind, ()), rule)
        _INDEXED[:] = [RULES]
    return _BY_KIND.get(kind, ())


def stop_rule(word: str) -> Rule | None:
    """The stop rule that ends the leftward read at ``word``, if any."""
    for rule in of_kind("stop"):
        if word in rule.words or (rule.prefixes and word.startswith(rule.prefixes)) or (
                rule.pattern is not None and rule.pattern.fullmatch(word)):
            return rule
    return None


def kept(word: str) -> bool:
    """``word`` is read into a name whatever jieba tags it (a ``keep`` rule)."""
    return any(word in rule.words for rule in of_kind("keep") if not rule.where)


def rare_name_part(word: str, tag: str) -> bool:
    """``word``, which jieba tags ``tag`` (not a name's) and which opens what is read, is
    part of the name: a ``keep`` rule read ``rare`` has its length and tag (in ``words``),
    and jieba's dictionary counts it less than the rule's ``below``. It is read as a noun,
    not as a proper name: a name holding nothing else proper still needs a ``named`` rule
    (so 争创国家级创新平台 stays a verb and its object)."""
    return any(len(word) == rule.length and tag in rule.words
               and word_frequency(word) < rule.below
               for rule in of_kind("keep") if rule.where == "rare")


def joining(word: str) -> bool:
    """``word`` may join two fields inside a name (a ``keep`` rule read ``between``: the
    walk in :func:`.boundaries.name_start` checks what stands on either side)."""
    return any(word in rule.words for rule in of_kind("keep") if rule.where == "between")


#: what a branch or a base may belong to (a park's pilot base is no body of the park)
PARENTS = frozenset({E.institute, E.platform, E.enterprise})


def parent_type(found: re.Match[str], own: E) -> E:
    """The type a ``body-of-a-parent`` match gives: its kind word's, or an institute's
    (浙大昆明院); ``own`` when the parent is no organisation (a park, a government)."""
    parent = SUFFIXES[found.group(0)][0] if found.group(0) in SUFFIXES else E.institute
    return parent if parent in PARENTS else own


def cut(text: str, start: int, end: int, stage: str) -> int:
    """Where a name read as ``text[start:end]`` begins after the ``cut`` rules of ``stage``."""
    for rule in of_kind("cut"):
        if rule.stage != stage:
            continue
        assert rule.pattern is not None
        if rule.where == "at":
            found = rule.pattern.match(text, start, end)
        else:
            found = max(rule.pattern.finditer(text, start, end), key=lambda m: m.end(),
                        default=None)
        if found is not None and end - found.end() >= rule.min_rest:
            start = found.end()
    return start
