"""Word lists that recognise organisation names the graph does not know yet.

A Chinese organisation name ends in a kind word (研究院, 有限公司, 孵化器 …) that gives
its type; what precedes it, back to a verb, conjunction or punctuation, is its
specific part. The lists are ordered longest first so the most specific suffix wins.
"""

from __future__ import annotations

import re

from schema import EntityType as E

#: suffix → (type, strength): strong suffixes almost always end a name
SUFFIXES: dict[str, tuple[E, float]] = {
    # enterprises
    "股份有限公司": (E.enterprise, 0.9), "有限责任公司": (E.enterprise, 0.9),
    "合伙企业": (E.enterprise, 0.85),  # a fund's vehicle when 投资 or 基金 is in its name
    "有限公司": (E.enterprise, 0.9), "集团": (E.enterprise, 0.75), "公司": (E.enterprise, 0.7),
    "银行": (E.enterprise, 0.75), "支行": (E.enterprise, 0.8), "分行": (E.enterprise, 0.8),
    "制药": (E.enterprise, 0.65), "药业": (E.enterprise, 0.7),
    # institutes, universities, labs
    "研究院": (E.institute, 0.85), "研究所": (E.institute, 0.85), "科学院": (E.institute, 0.85),
    "工程院": (E.institute, 0.85), "大学": (E.institute, 0.85), "学院": (E.institute, 0.75),
    "医学院": (E.institute, 0.85), "校区": (E.institute, 0.8), "研究生院": (E.institute, 0.85),
    "分院": (E.institute, 0.75),
    "联合研究中心": (E.institute, 0.8), "联合创新中心": (E.institute, 0.8),
    "联合实验室": (E.institute, 0.85), "联合中心": (E.institute, 0.75),
    "科创中心": (E.institute, 0.75),
    "实验室": (E.institute, 0.8),
    # 重点 and 全国 stop a name on the left elsewhere (重点企业, 全国首个): here they are kind words
    "重点实验室": (E.institute, 0.85), "全国重点实验室": (E.institute, 0.85),
    "国家重点实验室": (E.institute, 0.85), "联合学院": (E.institute, 0.8),
    "科学中心": (E.institute, 0.75), "研究中心": (E.institute, 0.75), "分中心": (E.institute, 0.7),
    "分部": (E.institute, 0.7),
    "医院": (E.institute, 0.75),
    "研究发展中心": (E.institute, 0.8), "策进会": (E.institute, 0.75),
    "联合研发中心": (E.institute, 0.8), "研发中心": (E.institute, 0.7),
    # incubators
    "创业中心": (E.incubator, 0.8),  # 火炬高新区创业中心: the classic name of an incubator
    "孵化器": (E.incubator, 0.85), "孵化园": (E.incubator, 0.85), "众创空间": (E.incubator, 0.85),
    "创业园": (E.incubator, 0.8), "科创园": (E.incubator, 0.8), "加速器": (E.incubator, 0.75),
    "星创天地": (E.incubator, 0.8), "创业苗圃": (E.incubator, 0.8), "创客空间": (E.incubator, 0.8),
    "孵化中心": (E.incubator, 0.8), "育成中心": (E.incubator, 0.8),
    "新创园": (E.incubator, 0.8),  # Taiwan's startup parks: 亚湾新创园 "大学科技园": (E.incubator, 0.8),
    "科技园": (E.incubator, 0.75),
    # parks
    "高新技术产业园区": (E.park, 0.85), "高新区": (E.park, 0.85), "开发区": (E.park, 0.8),
    "产业园": (E.park, 0.75), "科技城": (E.park, 0.8), "小镇": (E.park, 0.75),
    "产业基地": (E.park, 0.8), "创新基地": (E.park, 0.7), "科创走廊": (E.park, 0.8),
    "科技岛": (E.park, 0.75), "科创城": (E.park, 0.8), "示范区": (E.park, 0.7), "园区": (E.park, 0.65),
    "新区": (E.park, 0.7), "科学城": (E.park, 0.8), "生物城": (E.park, 0.8), "软件园": (E.park, 0.8),
    "生物岛": (E.park, 0.8), "实验区": (E.park, 0.75), "试验区": (E.park, 0.75),
    "集聚区": (E.park, 0.75), "创新港": (E.park, 0.75), "科教园": (E.park, 0.75),
    "产业园区": (E.park, 0.8),
    "科学园区": (E.park, 0.8), "科技园区": (E.park, 0.8), "创新园区": (E.park, 0.8),
    "科学园": (E.park, 0.75), "创新园": (E.park, 0.75), "医药园": (E.park, 0.75),
    "综合保税区": (E.park, 0.8), "综保区": (E.park, 0.8),
    "大走廊": (E.park, 0.8), "生物谷": (E.park, 0.75),
    "眼谷": (E.park, 0.75), "药谷": (E.park, 0.75), "光谷": (E.park, 0.75),
    "软件谷": (E.park, 0.75), "智谷": (E.park, 0.7), "医谷": (E.park, 0.7), "数谷": (E.park, 0.7),
    # funds
    "子基金": (E.fund, 0.8), "基金": (E.fund, 0.8), "证券化产品": (E.fund, 0.7),
    # platforms
    "综合体": (E.platform, 0.8), "联盟": (E.platform, 0.75), "创新中心": (E.platform, 0.7),
    "服务中心": (E.platform, 0.7), "技术市场": (E.platform, 0.75), "大市场": (E.platform, 0.75),
    "交易所": (E.platform, 0.8), "服务站": (E.platform, 0.7), "平台": (E.platform, 0.65),
    "联合体": (E.platform, 0.75), "概念验证中心": (E.platform, 0.8),
    "中试基地": (E.platform, 0.8), "院士工作站": (E.platform, 0.8), "特派员工作站": (E.platform, 0.8),
    "技术转移中心": (E.platform, 0.8), "交易市场": (E.platform, 0.75),
    "检验检测中心": (E.platform, 0.8), "检测中心": (E.platform, 0.7), "协会": (E.platform, 0.75),
    "商会": (E.platform, 0.75), "联合会": (E.platform, 0.75),
    "促进会": (E.platform, 0.75),
    "计算中心": (E.platform, 0.7),
    # government bodies
    "科学技术局": (E.government, 0.9), "科学技术厅": (E.government, 0.9),
    "人民政府": (E.government, 0.9), "管理委员会": (E.government, 0.85),
    "管委会": (E.government, 0.85), "科技局": (E.government, 0.85), "科技厅": (E.government, 0.85),
    "发改委": (E.government, 0.85), "经信局": (E.government, 0.85), "财政局": (E.government, 0.85),
    "商务局": (E.government, 0.85), "教育局": (E.government, 0.85), "教育厅": (E.government, 0.85),
    "领导小组": (E.government, 0.7), "委员会": (E.government, 0.75),
    "发展中心": (E.government, 0.7),
    "科技创新局": (E.government, 0.85), "工业和信息化局": (E.government, 0.85),
    "市场监督管理局": (E.government, 0.85), "政府": (E.government, 0.8),
    "经济和信息化局": (E.government, 0.85), "发展改革委": (E.government, 0.85),
    "管理局": (E.government, 0.8),
    # any bureau or department of a government (贵阳市大数据局, 甘肃省水利厅); words ending
    # in them (布局, 展厅) are vetoed in boundary_rules
    "局": (E.government, 0.7), "厅": (E.government, 0.7),
    "发展和改革委员会": (E.government, 0.9),
}

#: government bodies named without a kind suffix the list above could hold: the central
#: bodies and the party committees of each level (全面落实市委…, 进入国务院…白皮书); not
#: 科技部门 (a department of any government)
BODIES = re.compile(
    r"(?:党中央|中共中央|局党委|国务院|全国人大|全国政协|中央军委|教育部|科技部|科学技术部|财政部|商务部|"
    r"工业和信息化部|工信部|人力资源和社会保障部|人社部|自然资源部|生态环境部|农业农村部|"
    r"国家卫生健康委|国家卫健委|国家发展改革委|国家发改委|国家知识产权局|国家自然科学基金委|"
    r"经济部|中国科协|省厅|(?<![社城])[省市区县]委(?![员会]))(?!门)")

#: a place (or a short Latin name) in brackets right after a name qualifies it:
#: 香港科技大学(广州), 光子集成(温州)创新研究院
QUALIFIER = re.compile(r"\(([\u4e00-\u9fff]{2,4}|[A-Za-z][A-Za-z0-9 ]{1,15})\)")
#: a part of a park named as a place of its own: 浙南科技城核心区, 中国基因药谷启动区
PARK_PARTS = re.compile(r"核心区|启动区|先行区|起步区|拓展区")
#: kind words of a research organisation: a centre named after one belongs to it
#: (华中科技大学温州光电产业创新中心 is the university's, not a platform of its own)
RESEARCH_OWNER = re.compile(r"(?:大学|学院|研究院|研究所|科学院|实验室)")

#: administrative prefixes that make a bare suffix a name (市科技局, 省科技厅, 区政府)
ADMIN_PREFIX = re.compile(r"^(?:[省市区县镇]|[\u4e00-\u9fff]{2,3}[省市区县])$")

#: jieba tags that can be part of a name (nouns, places, organisations, brands, numbers …)
NAME_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j", "m", "x", "b",
                       "an", "vn", "ng", "s", "f",
                       "l",  # jieba's set phrases include field names: 软件产业, 人工智能
                       "t"})  # 新一代 (a name does not begin with one: 今年, 目前)
#: tags of a proper name: a name needs at least one (or brackets, or Latin letters)
PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "eng", "j"})
#: words that end a name on the left even when jieba tags them as nouns
LEFT_STOPS = frozenset({
    "与", "和", "及", "等", "同", "由", "对", "在", "为", "将", "把", "向", "以", "从", "经",
    "推进", "推动", "建设", "发展", "打造", "支持", "引进", "依托", "联合", "成立", "组建", "新建",
    "签约", "落地", "落户", "入驻", "投资", "共建", "合作", "携手", "启动", "开展", "实施", "完善",
    "提质", "加快", "深化", "建成", "设立", "筹建", "举办", "通过", "带动", "包括", "其中", "如",
    "全市", "全省", "全国", "我市", "我区", "我省", "各类", "一批", "首批", "新增", "累计", "已",
    "高能级", "重点", "首个", "这", "该", "其", "之", "的", "了", "家", "个", "项", "年", "月",
    "服务", "聚焦", "围绕", "面向", "结合", "探索", "培育", "认定", "获批", "获评", "入选",
    "招引", "申报", "承担", "牵头", "领衔", "带领", "参与", "完成", "获得", "发布", "举行",
    "揭牌", "运行", "挂牌", "正式", "成功", "先后", "分别", "共同", "相继", "积极", "大力",
    "是",  # 一是, 三是: a report's enumeration
    "旗下", "做大", "做强", "做优", "一一", "版", "支", "批", "类", "届", "期", "多次", "辅导", "帮助",
    "鼓励", "组织", "指导", "推荐", "协助", "会同", "依靠",
    "新设", "结对", "通知", "获", "上线", "推出", "布局", "领投", "跟投", "参投", "注资",
    "充分发挥", "发挥", "有力", "支撑", "助力", "赋能", "持续", "全力",
})
#: specific parts that are kind words, not names (创新平台, 省级孵化器, 新型研发机构 …)
GENERIC_PARTS = re.compile(
    r"^(?:[省市区县国家级部]*(?:级|家)?)?(?:高能级|新型|重点|创新|科创|科技|研发|孵化|服务|公共|"
    r"产业|专业|综合|高水平|龙头|领军|中小|高新技术|科技型|国有|各类|相关|共性|技术|"
    r"企业|高校|院所|研究|数字化|标志性|示范|特色|标杆|战略|重大|优质|创业|创新型|"
    r"国际|海外|全球|科学|工程|企业研发|中介|金融|投资|成员|主体|平台|生物|医药|引导|一流|"
    r"省|市|区|县|国家|农业|中试|云|高端化|检测|共享|交易|数字|智慧|网上|线上|产业化|"
    r"属地|当地|地方|各级|载体|备案)*$")
#: a list of names that a count closes: 华联机械、天球电器、兴机电器X家单位
LIST_CLOSE = re.compile(r"等?[\dX一二三四五六七八九十几多]+家(?:企业|单位|公司)")
#: teams: 李校堃院士再生医学与药物研究团队; 瞿佳教授带领的视觉调控和眼再生研究团队
TITLES = "院士|教授|研究员|博士|专家"
TEAM_SUFFIX = re.compile(r"团队")
#: provinces and major cities: a name starting with one is specific even when jieba tags the
#: place as a common noun (合肥 → n)
PLACES = frozenset(str.split("""
北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南
四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 石家庄 太原 沈阳 大连 长春
哈尔滨 南京 苏州 无锡 常州 南通 徐州 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 芜湖
福州 厦门 泉州 南昌 济南 青岛 烟台 潍坊 郑州 洛阳 武汉 宜昌 襄阳 长沙 株洲 广州 深圳 珠海 佛山 东莞
中山 惠州 汕头 南宁 海口 三亚 成都 绵阳 贵阳 昆明 西安 兰州 西宁 银川 乌鲁木齐 拉萨 呼和浩特 台北 高雄
台中 台南 新竹 桃园 瓯海 鹿城 龙湾 瑞安 乐清 永嘉 平阳 苍南 嘉定 闵行 浦东 张江 中关村 雄安 滨海 临港
"""))
#: PLACES as one regex alternation, longest first, so that a leading place is matched whole
PLACE_ALTERNATION = "|".join(sorted(PLACES, key=len, reverse=True))
#: national centres named after the city that hosts them (国家超级计算无锡中心, 国家技术转移
#: 郑州中心): the city and 中心 are their kind word
SUFFIXES.update({f"{place}中心": (E.platform, 0.75) for place in PLACES})
#: every kind word, longest first, as literals (a group for the city centres would cost the
#: regex its literal-prefix scan: three times slower on a report)
SUFFIX_PATTERN = re.compile("|".join(sorted(map(re.escape, SUFFIXES), key=len, reverse=True)))
#: words allowed in a name only right before its suffix (发展基金, 创业投资基金, 服务中心)
RIGHT_ONLY = frozenset({"发展", "投资", "服务", "合作"})
#: common surnames: a leader's name is a surname and one or two characters
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
                     "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶"
                     "黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤瞿施洪庞樊兰殷葛温季翁颜邢牛聂关柳倪包尚"
                     "章鲁岳齐柴喻祝谷梅滕阮詹甘")
