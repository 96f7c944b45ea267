"""A deterministic synthetic corpus of development plans, sized in triples, for store benchmarks.

The corpus has the shape of the real one plangraph reads: one plan per region (provinces and
their cities) and year (2016–2025): a government work report (政府工作报告) every year and a
five-year outline plan (规划纲要) in 2016 and 2021. Each plan has a vision, pillars (themes),
goals with quantified and qualitative targets, key tasks with sub-tasks (a few with sub-sub-tasks)
and the carriers the tasks name: companies, industry clusters anchored by companies, sites,
reforms, programmes, designations, events, brands and the government that issues the plan.
Labels are in Chinese and English, and every fact cites a passage (section, quote, document and
character span) the way the text loaders record them, with evidence for each carrier link.

Carriers are shared across plans as in reality: a national pool (太钢, 中车, 华为 … then
synthetic groups; national reforms, programmes and designations) is drawn from with a Zipf law,
so a few companies appear in a large share of the plans and most in one or two; each region has
its own pool of companies, sites, clusters, events and brands, reused (Zipf again) by its plans
of every year. A shared carrier has the same type, labels, aliases, scale and anchors in every
plan that names it, so the corpus is consistent under the ontology's disjointness and functional
properties.

Plans are :class:`plangraph.loaders.model.Plan` objects and their triples come from plangraph's
own :func:`plangraph.graph.build.plan_triples`. The corpus is a pure function of the seed: plan
*k* is the same whatever size is asked for (a smaller corpus is a prefix of a larger one, up to
its last plan, which is cut to fit the size).

>>> from plangraph.graph.build import plan_triples
>>> plans = list(corpus(20_000, seed=1))
>>> total = sum(len(plan_triples(p)) for p in plans)
>>> 20_000 <= total < 21_500
True
>>> [p.id for p in corpus(20_000, seed=1)] == [p.id for p in plans]
True

Command line::

    python scripts/synthetic_corpus.py --triples 100000 --seed 1 --out DIR        # one YAML file per plan
    python scripts/synthetic_corpus.py --triples 1000000 --nquads corpus.nq       # N-Quads: a named graph per plan + the ontology
"""

from __future__ import annotations

import argparse
import bisect
import random
import sys
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plangraph.graph.build import plan_triples  # noqa: E402
from plangraph.loaders.model import Entity, Evidence, Goal, Plan, Source, Target, Task, Text, Theme, Vision  # noqa: E402

__all__ = ["corpus", "corpus_with_triples", "plan_specs", "write_yaml", "write_nquads"]

YEARS = tuple(range(2016, 2026))
OUTLINE_YEARS = {2016: ("十三五", "13th", 2020), 2021: ("十四五", "14th", 2025)}

# -- regions: (Chinese name, short name, slug, English) -------------------------------------------
_PROVINCES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("山西省", "山西", "shanxi", [("太原", "taiyuan"), ("大同", "datong"), ("长治", "changzhi"), ("晋城", "jincheng"), ("晋中", "jinzhong"), ("运城", "yuncheng"), ("临汾", "linfen")]),
    ("河北省", "河北", "hebei", [("石家庄", "shijiazhuang"), ("唐山", "tangshan"), ("保定", "baoding"), ("邯郸", "handan"), ("沧州", "cangzhou"), ("廊坊", "langfang")]),
    ("内蒙古自治区", "内蒙古", "neimenggu", [("呼和浩特", "hohhot"), ("包头", "baotou"), ("鄂尔多斯", "ordos"), ("赤峰", "chifeng")]),
    ("辽宁省", "辽宁", "liaoning", [("沈阳", "shenyang"), ("大连", "dalian"), ("鞍山", "anshan"), ("锦州", "jinzhou"), ("营口", "yingkou")]),
    ("吉林省", "吉林", "jilin", [("长春", "changchun"), ("吉林市", "jilinshi"), ("四平", "siping"), ("延边", "yanbian")]),
    ("黑龙江省", "黑龙江", "heilongjiang", [("哈尔滨", "harbin"), ("齐齐哈尔", "qiqihar"), ("大庆", "daqing"), ("牡丹江", "mudanjiang")]),
    ("江苏省", "江苏", "jiangsu", [("南京", "nanjing"), ("苏州", "suzhou"), ("无锡", "wuxi"), ("常州", "changzhou"), ("南通", "nantong"), ("徐州", "xuzhou"), ("扬州", "yangzhou")]),
    ("浙江省", "浙江", "zhejiang", [("杭州", "hangzhou"), ("宁波", "ningbo"), ("温州", "wenzhou"), ("嘉兴", "jiaxing"), ("绍兴", "shaoxing"), ("金华", "jinhua"), ("台州", "taizhou")]),
    ("安徽省", "安徽", "anhui", [("合肥", "hefei"), ("芜湖", "wuhu"), ("蚌埠", "bengbu"), ("马鞍山", "maanshan"), ("安庆", "anqing"), ("阜阳", "fuyang")]),
    ("福建省", "福建", "fujian", [("福州", "fuzhou"), ("厦门", "xiamen"), ("泉州", "quanzhou"), ("漳州", "zhangzhou"), ("莆田", "putian")]),
    ("江西省", "江西", "jiangxi", [("南昌", "nanchang"), ("赣州", "ganzhou"), ("九江", "jiujiang"), ("上饶", "shangrao"), ("宜春", "yichun")]),
    ("山东省", "山东", "shandong", [("济南", "jinan"), ("青岛", "qingdao"), ("烟台", "yantai"), ("潍坊", "weifang"), ("淄博", "zibo"), ("临沂", "linyi"), ("济宁", "jining")]),
    ("河南省", "河南", "henan", [("郑州", "zhengzhou"), ("洛阳", "luoyang"), ("开封", "kaifeng"), ("南阳", "nanyang"), ("新乡", "xinxiang"), ("许昌", "xuchang")]),
    ("湖北省", "湖北", "hubei", [("武汉", "wuhan"), ("襄阳", "xiangyang"), ("宜昌", "yichang"), ("荆州", "jingzhou"), ("黄石", "huangshi"), ("十堰", "shiyan")]),
    ("湖南省", "湖南", "hunan", [("长沙", "changsha"), ("株洲", "zhuzhou"), ("湘潭", "xiangtan"), ("衡阳", "hengyang"), ("岳阳", "yueyang"), ("常德", "changde")]),
    ("广东省", "广东", "guangdong", [("广州", "guangzhou"), ("深圳", "shenzhen"), ("佛山", "foshan"), ("东莞", "dongguan"), ("珠海", "zhuhai"), ("惠州", "huizhou"), ("中山", "zhongshan")]),
    ("广西壮族自治区", "广西", "guangxi", [("南宁", "nanning"), ("柳州", "liuzhou"), ("桂林", "guilin"), ("北海", "beihai")]),
    ("海南省", "海南", "hainan", [("海口", "haikou"), ("三亚", "sanya")]),
    ("四川省", "四川", "sichuan", [("成都", "chengdu"), ("绵阳", "mianyang"), ("德阳", "deyang"), ("宜宾", "yibin"), ("泸州", "luzhou"), ("南充", "nanchong")]),
    ("贵州省", "贵州", "guizhou", [("贵阳", "guiyang"), ("遵义", "zunyi"), ("六盘水", "liupanshui"), ("安顺", "anshun")]),
    ("云南省", "云南", "yunnan", [("昆明", "kunming"), ("曲靖", "qujing"), ("玉溪", "yuxi"), ("大理", "dali")]),
    ("西藏自治区", "西藏", "xizang", [("拉萨", "lhasa"), ("日喀则", "shigatse")]),
    ("陕西省", "陕西", "shaanxi", [("西安", "xian"), ("宝鸡", "baoji"), ("咸阳", "xianyang"), ("榆林", "yulin"), ("延安", "yanan")]),
    ("甘肃省", "甘肃", "gansu", [("兰州", "lanzhou"), ("天水", "tianshui"), ("酒泉", "jiuquan"), ("庆阳", "qingyang")]),
    ("青海省", "青海", "qinghai", [("西宁", "xining"), ("海西", "haixi")]),
    ("宁夏回族自治区", "宁夏", "ningxia", [("银川", "yinchuan"), ("石嘴山", "shizuishan")]),
    ("新疆维吾尔自治区", "新疆", "xinjiang", [("乌鲁木齐", "urumqi"), ("克拉玛依", "karamay"), ("喀什", "kashgar")]),
]
_MUNICIPALITIES = [("北京市", "北京", "beijing"), ("天津市", "天津", "tianjin"), ("上海市", "上海", "shanghai"), ("重庆市", "重庆", "chongqing")]


@lru_cache(maxsize=1)
def regions() -> list[tuple[str, str, str, str]]:
    """Every region of the corpus: (full Chinese name, short name, slug, English name)."""
    out = [(zh, short, slug, slug.capitalize()) for zh, short, slug in _MUNICIPALITIES]
    for zh, short, slug, cities in _PROVINCES:
        out.append((zh, short, slug, slug.capitalize()))
        for city, city_slug in cities:
            full = city if city.endswith("市") else f"{city}市"
            out.append((full, city.removesuffix("市") if city != "吉林市" else "吉林市", f"{slug}-{city_slug}", city_slug.capitalize()))
    return out


# -- vocabulary: (zh, en) --------------------------------------------------------------------------
INDUSTRIES = [
    ("新材料", "new materials"), ("高端装备制造", "high-end equipment manufacturing"), ("信息技术", "information technology"),
    ("新能源汽车", "new energy vehicles"), ("生物医药", "biomedicine"), ("绿色能源", "green energy"), ("现代煤化工", "modern coal chemicals"),
    ("集成电路", "integrated circuits"), ("人工智能", "artificial intelligence"), ("数字经济", "digital economy"),
    ("节能环保", "energy saving and environmental protection"), ("航空航天", "aerospace"), ("轨道交通装备", "rail transit equipment"),
    ("现代农业", "modern agriculture"), ("文化旅游", "culture and tourism"), ("现代物流", "modern logistics"), ("食品加工", "food processing"),
    ("纺织服装", "textiles and apparel"), ("光伏", "photovoltaics"), ("氢能", "hydrogen energy"), ("新型储能", "new energy storage"),
    ("半导体", "semiconductors"), ("软件和信息服务", "software and information services"), ("大数据", "big data"), ("新型显示", "new displays"),
    ("智能制造", "intelligent manufacturing"), ("特种金属", "special metals"), ("医疗器械", "medical devices"), ("电子信息", "electronic information"),
    ("现代金融", "modern finance"), ("康养", "health and elderly care"), ("海洋经济", "marine economy"), ("石油化工", "petrochemicals"),
    ("钢铁", "steel"), ("有色金属", "non-ferrous metals"), ("工业互联网", "industrial internet"), ("低空经济", "low-altitude economy"),
    ("商业航天", "commercial space"), ("机器人", "robotics"), ("新一代通信", "next-generation communications"),
]
THEMES = [
    ("产业兴旺 经济发达", "Thriving industry and a developed economy", [("经济实力", "economic strength"), ("产业竞争力", "industrial competitiveness"), ("现代产业体系", "the modern industrial system")]),
    ("创新驱动 科技自立", "Innovation-driven and self-reliant in science", [("创新活力", "innovation vitality"), ("科技创新能力", "science and technology capacity"), ("人才支撑", "talent support")]),
    ("乡村振兴 农业强省", "Rural revitalisation and strong agriculture", [("农业综合生产能力", "agricultural production capacity"), ("农民收入", "farmers' incomes"), ("乡村面貌", "the look of the countryside")]),
    ("改革开放 活力迸发", "Reform and opening up, vitality unleashed", [("营商环境", "the business environment"), ("开放型经济水平", "the open economy"), ("市场主体活力", "the vitality of market players")]),
    ("生态优先 绿色发展", "Ecology first and green development", [("生态环境质量", "environmental quality"), ("绿色低碳发展水平", "green and low-carbon development"), ("资源利用效率", "resource efficiency")]),
    ("文化繁荣 魅力彰显", "Flourishing culture and visible charm", [("文化软实力", "cultural soft power"), ("文旅融合水平", "culture-tourism integration"), ("公共文化服务", "public cultural services")]),
    ("民生改善 共同富裕", "Better livelihoods and common prosperity", [("居民收入", "residents' incomes"), ("就业质量", "the quality of employment"), ("社会保障水平", "social security")]),
    ("城乡融合 区域协调", "Integrated towns and countryside, balanced regions", [("新型城镇化水平", "new urbanisation"), ("区域协调发展", "regional coordination"), ("城市能级", "the city's standing")]),
    ("数字赋能 智慧城市", "Digital empowerment and a smart city", [("数字化水平", "digitalisation"), ("新型基础设施", "new infrastructure"), ("智慧治理能力", "smart governance")]),
    ("基础设施 互联互通", "Connected infrastructure", [("综合交通能力", "transport capacity"), ("能源保障能力", "energy security"), ("水利保障能力", "water security")]),
    ("社会治理 平安建设", "Social governance and public safety", [("社会治理效能", "the effectiveness of governance"), ("安全发展水平", "safe development"), ("法治建设", "the rule of law")]),
    ("教育强省 人才集聚", "Strong education and gathering talent", [("教育质量", "the quality of education"), ("人才规模", "the talent pool"), ("职业教育水平", "vocational education")]),
    ("健康优先 医疗保障", "Health first and medical security", [("医疗服务能力", "medical services"), ("公共卫生体系", "the public health system"), ("全民健康水平", "public health")]),
    ("能源革命 低碳转型", "Energy revolution and low-carbon transition", [("能源结构", "the energy mix"), ("能源利用效率", "energy efficiency"), ("碳达峰进程", "progress towards the carbon peak")]),
    ("对外开放 内陆高地", "Opening up as an inland hub", [("对外贸易规模", "foreign trade"), ("开放平台能级", "opening-up platforms"), ("国际交往水平", "international exchange")]),
]
GOAL_ENDINGS = [("明显增强", "markedly stronger {}"), ("显著提升", "markedly better {}"), ("迈上新台阶", "{} at a new level"), ("取得重大进展", "major progress in {}"), ("走在全国前列", "{} among the best in the country")]
#: indicator (zh, en), unit, comparator choices, value range (low, high), scale to base units, how the label writes the value
INDICATORS = [
    (("地区生产总值", "Gross regional product"), "元", (">=", "~"), (800, 60000), Decimal(100000000), "亿元"),
    (("人均地区生产总值", "GRP per capita"), "美元", (">=",), (8000, 30000), Decimal(1), "美元"),
    (("研发经费投入强度", "R&D intensity"), "%", (">=", "="), (15, 35), Decimal("0.1"), "%"),
    (("规模以上工业企业数量", "Industrial enterprises above designated size"), "家", (">=", "="), (800, 12000), Decimal(1), "家"),
    (("高新技术企业数量", "High-tech enterprises"), "家", (">=", "="), (300, 15000), Decimal(1), "家"),
    (("常住人口城镇化率", "Urbanisation rate"), "%", (">=", "~"), (50, 85), Decimal(1), "%"),
    (("单位地区生产总值能耗降低", "Cut in energy use per unit of GRP"), "%", ("=", ">="), (10, 18), Decimal(1), "%"),
    (("森林覆盖率", "Forest cover"), "%", (">=",), (15, 65), Decimal(1), "%"),
    (("粮食产量", "Grain output"), "吨", (">=", "~"), (100, 7000), Decimal(10000), "万吨"),
    (("城镇新增就业", "New urban jobs"), "人", (">=",), (5, 120), Decimal(10000), "万人"),
    (("数字经济核心产业增加值占比", "Share of the digital economy's core industries"), "%", (">=",), (5, 15), Decimal(1), "%"),
    (("地区生产总值年均增长", "Average annual GRP growth"), "%", ("~", ">="), (50, 75), Decimal("0.1"), "%"),
    (("居民人均可支配收入", "Per capita disposable income"), "元", (">=",), (20000, 90000), Decimal(1), "元"),
    (("实际使用外资", "Foreign investment used"), "美元", (">=",), (5, 300), Decimal(100000000), "亿美元"),
    (("空气质量优良天数比例", "Share of days with good air"), "%", (">=",), (70, 95), Decimal(1), "%"),
]
QUALITATIVE = [("{}体系基本形成", "{} basically in place"), ("{}机制更加完善", "better mechanisms for {}"), ("{}取得积极进展", "positive progress in {}"), ("{}短板加快补齐", "gaps in {} closed faster")]
KEY_VERBS = [("加快发展", "Speed up"), ("做强做优", "Strengthen and improve"), ("大力推进", "Vigorously advance"), ("全面提升", "Raise across the board"), ("培育壮大", "Grow"), ("深入实施", "Carry out")]
SUB_VERBS = [("建设", "Build"), ("打造", "Create"), ("推动", "Promote"), ("支持", "Support"), ("实施", "Implement"), ("推进", "Push forward")]
SUFFIXES = [("集团", "Group"), ("股份", "Co."), ("科技", "Technology"), ("控股", "Holdings"), ("实业", "Industries"), ("有限公司", "Co., Ltd.")]
BRAND_WORDS = [("华晟", "Huasheng"), ("鑫达", "Xinda"), ("恒信", "Hengxin"), ("中科", "Zhongke"), ("远航", "Yuanhang"), ("瑞丰", "Ruifeng"), ("天合", "Tianhe"),
               ("金源", "Jinyuan"), ("宏图", "Hongtu"), ("博远", "Boyuan"), ("新锐", "Xinrui"), ("安泰", "Antai"), ("永昌", "Yongchang"), ("东方", "Dongfang"),
               ("长江", "Changjiang"), ("北辰", "Beichen"), ("卓越", "Zhuoyue"), ("盛世", "Shengshi"), ("启明", "Qiming"), ("凯瑞", "Kairui"), ("晶锐", "Jingrui"),
               ("海润", "Hairun"), ("国泰", "Guotai"), ("泰和", "Taihe"), ("锦程", "Jincheng"), ("正大", "Zhengda"), ("云帆", "Yunfan"), ("同创", "Tongchuang"),
               ("汇智", "Huizhi"), ("联合", "Lianhe"), ("精工", "Jinggong"), ("万通", "Wantong")]
SITE_KINDS = [("高新技术产业开发区", "High-tech Industrial Development Zone"), ("经济技术开发区", "Economic and Technological Development Zone"),
              ("综合保税区", "Comprehensive Bonded Zone"), ("国际机场", "International Airport"), ("国际陆港", "International Dry Port"),
              ("科创城", "Science and Innovation City"), ("中央商务区", "Central Business District"), ("会展中心", "Convention and Exhibition Centre"),
              ("高铁枢纽", "High-speed Rail Hub"), ("湿地公园", "Wetland Park"), ("金融城", "Financial City"), ("大学城", "University Town"),
              ("物流园", "Logistics Park"), ("数据中心集群", "Data Centre Cluster"), ("绕城高速公路", "Ring Expressway"), ("城际铁路", "Intercity Railway")]
PARK_PLACES = [("东山", "Dongshan"), ("西湖", "Xihu"), ("南湾", "Nanwan"), ("北岭", "Beiling"), ("滨河", "Binhe"), ("高桥", "Gaoqiao"), ("临港", "Lingang"),
               ("青龙", "Qinglong"), ("白鹭", "Bailu"), ("金沙", "Jinsha"), ("桃源", "Taoyuan"), ("松林", "Songlin")]
PRODUCTS = [("陈醋", "vinegar"), ("小米", "millet"), ("红枣", "jujubes"), ("绿茶", "green tea"), ("黄酒", "rice wine"), ("苹果", "apples"), ("牛肉", "beef"), ("丝绸", "silk"), ("瓷器", "porcelain"), ("大米", "rice")]
EVENT_KINDS = [("国际{}博览会", "International {} Expo"), ("{}产业发展大会", "{} Industry Conference"), ("{}创新创业大赛", "{} Innovation Contest"), ("国际{}论坛", "International {} Forum")]

# the national pools: real names first (the most reused), then synthetic ones
_NATIONAL_COMPANIES = [("太钢", "TISCO (Taiyuan Iron and Steel)", ["太钢集团", "太原钢铁集团"]), ("中车", "CRRC", ["中国中车"]), ("华为", "Huawei", ["华为技术有限公司"]),
                       ("比亚迪", "BYD", ["比亚迪股份"]), ("宁德时代", "CATL", ["宁德时代新能源"]), ("富士康", "Foxconn", ["富士康科技集团"]), ("中国长城", "China Greatwall", []),
                       ("中电科", "CETC", ["中国电子科技集团"]), ("国家电网", "State Grid", ["国家电网公司"]), ("中国石化", "Sinopec", ["中石化"]), ("京东方", "BOE", ["京东方科技集团"]),
                       ("隆基绿能", "LONGi", ["隆基股份"]), ("三一重工", "SANY", []), ("格力电器", "Gree", []), ("海尔", "Haier", ["海尔集团"]), ("吉利", "Geely", ["吉利控股集团"]),
                       ("中国建材", "CNBM", []), ("中国宝武", "China Baowu", ["宝武钢铁集团"]), ("中芯国际", "SMIC", []), ("阿里巴巴", "Alibaba", ["阿里巴巴集团"])]
_NATIONAL_REFORMS = [("国有企业改革", "State-owned enterprise reform"), ("“放管服”改革", "Streamlining administration reform"), ("营商环境优化改革", "Business environment reform"),
                     ("要素市场化配置改革", "Market allocation of factors reform"), ("农村承包地“三权分置”", "Separating the three rights over contracted land"),
                     ("农村宅基地改革", "Rural homestead reform"), ("财政金融体制改革", "Fiscal and financial system reform"), ("能源革命综合改革", "Comprehensive energy revolution reform"),
                     ("“揭榜挂帅”制度", "Open competition for lead researchers"), ("科研经费“包干制”", "Lump-sum research funding"), ("户籍制度改革", "Household registration reform"),
                     ("医药卫生体制改革", "Health system reform"), ("教育评价改革", "Education evaluation reform"), ("“承诺制+标准地+全代办”改革", "Commitment + standard land + full agency reform"),
                     ("集体林权制度改革", "Collective forest tenure reform"), ("开发区管理体制改革", "Development zone management reform")]
_NATIONAL_PROGRAMMES = [("“一带一路”", "Belt and Road"), ("乡村建设行动", "Rural construction campaign"), ("“厕所革命”", "Toilet revolution"), ("创新驱动发展战略", "Innovation-driven development strategy"),
                        ("“专精特新”企业培育工程", "Specialised and sophisticated SMEs programme"), ("新型基础设施建设工程", "New infrastructure programme"), ("城市更新行动", "Urban renewal campaign"),
                        ("“双碳”行动", "Carbon peak and neutrality action"), ("高标准农田建设工程", "High-standard farmland programme"), ("数字政府建设工程", "Digital government programme")]
_NATIONAL_DESIGNATIONS = [("国家全域旅游示范区", "National All-for-One Tourism Demonstration Zone"), ("国家物流枢纽城市", "National logistics hub city"), ("国家5A级景区", "National 5A scenic area"),
                          ("国家创新型城市", "National innovative city"), ("国家生态文明建设示范区", "National ecological civilisation demonstration zone"),
                          ("国家级新区", "National new area"), ("自由贸易试验区", "Pilot free trade zone"), ("国家文明城市", "National civilised city"),
                          ("国家中心城市", "National central city"), ("国家数字经济创新发展试验区", "National digital economy pilot zone")]

N_NATIONAL_COMPANIES = 20_000
N_NATIONAL_REFORMS = 400
N_NATIONAL_PROGRAMMES = 600
N_NATIONAL_DESIGNATIONS = 120
N_REGIONAL = {"Company": 400, "Site": 200, "IndustryCluster": len(INDUSTRIES), "Event": 12, "Brand": len(PRODUCTS), "Programme": 30}
ZIPF_S = 1.1
#: national companies are many and spread: the top ones still appear in a third of the plans
ZIPF_S_NATIONAL_COMPANIES = 0.65


@lru_cache(maxsize=None)
def _cumulative(n: int, s: float = ZIPF_S) -> tuple[list[float], float]:
    acc, out = 0.0, []
    for rank in range(n):
        acc += 1.0 / (rank + 1) ** s
        out.append(acc)
    return out, acc


def _zipf(rnd: random.Random, n: int, s: float = ZIPF_S) -> int:
    """An index in range(n), rank r drawn with weight 1/(r+1)^s."""
    cum, total = _cumulative(n, s)
    return min(bisect.bisect_left(cum, rnd.random() * total), n - 1)


def _radix(i: int, *sizes: int) -> list[int]:
    out = []
    for size in sizes:
        out.append(i % size)
        i //= size
    return out


# -- the carriers: a pure function of (kind, scope, index) ---------------------------------------------
@lru_cache(maxsize=200_000)
def carrier(kind: str, scope: str, index: int) -> Entity:
    """The shared entity ``index`` of ``kind`` in ``scope`` (``"national"`` or a region's slug),
    the same in every plan that names it (its sources are the plan's own and set there)."""
    rnd = random.Random(f"carrier:{kind}:{scope}:{index}")
    region = None if scope == "national" else _region_by_slug()[scope]
    short, short_en = (region[1], region[3]) if region else ("", "")
    aliases: list[str] = []
    description = None
    scale = None
    multiple = False
    anchors: list[str] = []
    if kind == "Company":
        if region is None and index < len(_NATIONAL_COMPANIES):
            name, en, aliases = _NATIONAL_COMPANIES[index][0], _NATIONAL_COMPANIES[index][1], list(_NATIONAL_COMPANIES[index][2])
        else:
            if region is None:
                a, b, ind, suf = _radix(index, len(BRAND_WORDS), len(BRAND_WORDS), len(INDUSTRIES), len(SUFFIXES))
            else:
                (a, ind, suf), b = _radix(index, len(BRAND_WORDS), len(INDUSTRIES), len(SUFFIXES)), 0
            w1, w2, (izh, ien), (szh, sen) = BRAND_WORDS[a], BRAND_WORDS[b], INDUSTRIES[ind], SUFFIXES[suf]
            stem = f"{short}{w1[0]}{w2[0] if region is None else ''}"
            name = f"{stem}{izh}{szh}"
            en = f"{short_en + ' ' if short_en else ''}{w1[1]}{w2[1].lower() if region is None else ''} {ien.title()} {sen}"
            if rnd.random() < 0.4:
                aliases = [f"{name}有限公司" if szh != "有限公司" else f"{stem}{izh}有限责任公司"]
    elif kind == "Site":
        if index < len(SITE_KINDS):
            (kzh, ken), pzh, pen = SITE_KINDS[index], "", ""
        else:
            p, ind = _radix(index - len(SITE_KINDS), len(PARK_PLACES), len(INDUSTRIES))
            (pzh, pen), (izh, ien) = PARK_PLACES[p], INDUSTRIES[ind]
            kzh, ken = f"{izh}产业园", f"{ien.title()} Industrial Park"
        name, en = f"{short}{pzh}{kzh}", f"{short_en} {pen + ' ' if pen else ''}{ken}"
        if rnd.random() < 0.2:
            aliases = [f"{region[0]}{pzh}{kzh}"]
    elif kind == "IndustryCluster":
        izh, ien = INDUSTRIES[index]
        name, en = f"{short}{izh}产业集群", f"{short_en} {ien} industry cluster"
        scale = rnd.choice(("千亿级", "千亿级", "五百亿级", "百亿级", "百亿级", "万亿级"))
        multiple = rnd.random() < 0.15
        n_anchor = rnd.choice((1, 2, 2, 3, 3, 4))
        for _ in range(n_anchor):
            if rnd.random() < 0.35:
                anchors.append(carrier("Company", "national", _zipf(rnd, N_NATIONAL_COMPANIES, ZIPF_S_NATIONAL_COMPANIES)).name)
            elif rnd.random() < 0.15:
                anchors.append(carrier("Site", scope, _zipf(rnd, N_REGIONAL["Site"])).name)
            else:
                anchors.append(carrier("Company", scope, _zipf(rnd, N_REGIONAL["Company"])).name)
        anchors = list(dict.fromkeys(anchors))
    elif kind == "Reform":
        if index < len(_NATIONAL_REFORMS):
            name, en = _NATIONAL_REFORMS[index]
        else:
            ind, v = _radix(index - len(_NATIONAL_REFORMS), len(INDUSTRIES), 10)
            izh, ien = INDUSTRIES[ind]
            name, en = f"{izh}领域第{v + 1}批改革试点", f"{ien.capitalize()} reform pilot, batch {v + 1}"
    elif kind == "Programme":
        if region is None and index < len(_NATIONAL_PROGRAMMES):
            name, en = _NATIONAL_PROGRAMMES[index]
        elif region is None:
            ind, v = _radix(index - len(_NATIONAL_PROGRAMMES), len(INDUSTRIES), 15)
            izh, ien = INDUSTRIES[ind]
            name, en = f"{izh}产业倍增计划（第{v + 1}期）", f"{ien.capitalize()} doubling plan, phase {v + 1}"
        else:
            w, = _radix(index, len(BRAND_WORDS))
            name, en = f"“{short}{BRAND_WORDS[w][0]}英才”计划", f"{short_en} {BRAND_WORDS[w][1]} talent programme"
            if index >= len(BRAND_WORDS):
                name, en = f"{short}{INDUSTRIES[index % len(INDUSTRIES)][0]}三年行动", f"{short_en} three-year action on {INDUSTRIES[index % len(INDUSTRIES)][1]}"
        if rnd.random() < 0.3:
            description = Text(f"{name}的组织实施。", f"Carrying out the {en}.")
    elif kind == "Designation":
        if index < len(_NATIONAL_DESIGNATIONS):
            name, en = _NATIONAL_DESIGNATIONS[index]
        else:
            ind, v = _radix(index - len(_NATIONAL_DESIGNATIONS), len(INDUSTRIES), 3)
            izh, ien = INDUSTRIES[ind]
            level = ("国家", "国家级", "全国")[v]
            name, en = f"{level}{izh}示范基地", f"{('National', 'National-level', 'Nationwide')[v]} {ien} demonstration base"
    elif kind == "Event":
        ind, k = _radix(index, len(INDUSTRIES), len(EVENT_KINDS))
        izh, ien = INDUSTRIES[(ind * 7 + len(short)) % len(INDUSTRIES)]
        name = f"{short}{EVENT_KINDS[k][0].format(izh)}"
        en = f"{short_en} {EVENT_KINDS[k][1].format(ien.title())}"
    elif kind == "Brand":
        pzh, pen = PRODUCTS[index]
        name, en = f"{short}{pzh}", f"{short_en} {pen}"
    elif kind == "GovernmentBody":
        name, en = (f"{region[0]}人民政府", f"People's Government of {short_en}") if index == 0 else (f"{region[0]}发展和改革委员会", f"{short_en} Development and Reform Commission")
    else:
        raise ValueError(kind)
    e = Entity(name=name, type=kind, label=Text(name, en), aliases=[a for a in aliases if a != name], description=description,
               scale=scale, multiple=multiple, anchored_by=anchors)
    _BY_NAME[name] = e
    return e


#: every carrier made so far, by name (a cluster's anchors are found here)
_BY_NAME: dict[str, Entity] = {}


@lru_cache(maxsize=1)
def _region_by_slug() -> dict[str, tuple[str, str, str, str]]:
    return {r[2]: r for r in regions()}


# -- the plans -------------------------------------------------------------------------------------
def plan_specs(seed: int = 1) -> Iterator[tuple[tuple[str, str, str, str], str, int, int]]:
    """(region, kind, year, cycle) of every plan, in the corpus's order: a shuffle (by ``seed``) of
    every region's work reports and outline plans; after all of them, the same again for the
    regions' high-tech zones (cycle 1, 2, ...), so the corpus has no size limit."""
    base = [(r, kind, year) for r in regions() for year in YEARS for kind in (("gwr", "outline") if year in OUTLINE_YEARS else ("gwr",))]
    cycle = 0
    while True:
        order = list(base)
        random.Random(f"order:{seed}:{cycle}").shuffle(order)
        for r, kind, year in order:
            yield r, kind, year, cycle
        cycle += 1


class _PlanMaker:
    """Builds one plan; everything random comes from the plan's own generator."""

    def __init__(self, region: tuple[str, str, str, str], kind: str, year: int, cycle: int, seed: int):
        self.region, self.kind, self.year, self.cycle = region, kind, year, cycle
        zh, short, slug, en = region
        self.scope = slug
        zone = "" if cycle == 0 else f"-zone{cycle}"
        self.id = f"{slug}{zone}-{kind}-{year}"
        self.rnd = random.Random(f"plan:{seed}:{self.id}")
        self.document = f"{self.id}.txt"
        self.offset = 0
        self.entities: dict[str, Entity] = {}
        self.evidence: list[Evidence] = []
        self.place = zh if cycle == 0 else f"{zh}高新区（第{cycle}批）"
        self.place_en = en if cycle == 0 else f"{en} High-tech Zone ({cycle})"

    def source(self, section: str, quote: str) -> Source:
        start = self.offset + self.rnd.randint(2, 40)
        self.offset = start + len(quote)
        return Source(section=section, quote=quote, document=self.document, start=start, end=self.offset)

    def use(self, kind: str, national: bool | None = None, section: str = "", quote: str | None = None) -> Entity:
        """A carrier of ``kind`` for this plan (national or regional pool), added to its entities."""
        rnd = self.rnd
        if kind in ("Reform", "Designation"):
            scope, n = "national", {"Reform": N_NATIONAL_REFORMS, "Designation": N_NATIONAL_DESIGNATIONS}[kind]
        elif kind == "Company":
            scope, n = ("national", N_NATIONAL_COMPANIES) if (national if national is not None else rnd.random() < 0.3) else (self.scope, N_REGIONAL["Company"])
        elif kind == "Programme":
            scope, n = ("national", N_NATIONAL_PROGRAMMES) if rnd.random() < 0.6 else (self.scope, N_REGIONAL["Programme"])
        else:
            scope, n = self.scope, N_REGIONAL[kind]
        e = carrier(kind, scope, _zipf(rnd, n, ZIPF_S_NATIONAL_COMPANIES if (kind, scope) == ("Company", "national") else ZIPF_S))
        return self.add_entity(e, section, quote or e.name)

    def add_entity(self, shared: Entity, section: str, quote: str) -> Entity:
        e = self.entities.get(shared.name)
        if e is None:
            e = Entity(name=shared.name, type=shared.type, label=shared.label, aliases=list(shared.aliases), description=shared.description,
                       scale=shared.scale, multiple=shared.multiple, anchored_by=list(shared.anchored_by), sources=[self.source(section, quote)])
            self.entities[e.name] = e
            for anchor in e.anchored_by:
                a = self.add_entity(_BY_NAME[anchor], section, f"依托{anchor}等")
                self.evidence.append(Evidence(e.name, "anchoredBy", a.name, self.source(section, f"依托{anchor}打造{e.name}")))
        return e

    def target(self, tid: str, section: str, topic: tuple[str, str]) -> Target:
        rnd = self.rnd
        if rnd.random() < 0.65:
            (izh, ien), unit, comparators, (lo, hi), factor, shown = rnd.choice(INDICATORS)
            raw = rnd.randint(lo, hi)
            value = Decimal(raw) * factor
            comparator = rnd.choice(comparators)
            words = {">=": "以上", "~": "左右", "=": "", "<=": "以内"}[comparator]
            number = f"{raw * factor.normalize():f}" if factor < 1 else f"{raw}"
            label_zh = f"{izh}达到{number}{shown}{words}"
            label_en = f"{ien} {'of at least' if comparator == '>=' else 'of about' if comparator == '~' else 'of'} {number} {shown}"
            horizon = OUTLINE_YEARS[self.year][2] if self.kind == "outline" else self.year
            year = horizon if rnd.random() < 0.7 else None
            upper = None
            if comparator == "~" and rnd.random() < 0.3:
                upper = value * Decimal("1.1")
            return Target(id=tid, label=Text(label_zh, label_en), indicator=Text(izh, ien), value=value, unit=unit, comparator=comparator,
                          year=year, upper=upper, sources=[self.source(section, label_zh)])
        qzh, qen = rnd.choice(QUALITATIVE)
        label_zh, label_en = qzh.format(topic[0]), qen.format(topic[1])
        return Target(id=tid, label=Text(label_zh, label_en), indicator=Text(topic[0], topic[1].capitalize()), sources=[self.source(section, label_zh)])

    def task(self, tid: str, section: str, depth: int, focus: tuple[str, str]) -> Task:
        rnd = self.rnd
        if depth == 1:
            vzh, ven = rnd.choice(KEY_VERBS)
            label = Text(f"{vzh}{focus[0]}产业", f"{ven} the {focus[1]} industry")
        else:
            vzh, ven = rnd.choice(SUB_VERBS)
            label = Text(f"{vzh}{focus[0]}重点项目（{tid.rsplit('-', 1)[-1]}）", f"{ven} key {focus[1]} projects ({tid.rsplit('-', 1)[-1]})")
        task = Task(id=tid, label=label, sources=[self.source(section, label.zh)])
        # the carriers the task names: clusters and sites it builds, companies, reforms, programmes ... it involves
        n_links = rnd.choice((0, 1, 1, 2, 2, 2, 3, 4)) if depth > 1 else rnd.choice((0, 0, 1, 1, 2))
        for _ in range(n_links):
            pick = rnd.random()
            if pick < 0.18:
                e = self.use("IndustryCluster", section=section)
                bucket, relation, quote = task.develops, "develops", f"打造{e.scale or ''}{e.name}"
            elif pick < 0.36:
                e = self.use("Site", section=section)
                if rnd.random() < 0.6:
                    bucket, relation, quote = task.develops, "develops", f"加快{e.name}建设"
                else:
                    bucket, relation, quote = task.involves, "involves", f"依托{e.name}"
            elif pick < 0.66:
                e = self.use("Company", section=section)
                bucket, relation, quote = task.involves, "involves", f"支持{e.name}做大做强"
            elif pick < 0.78:
                e = self.use("Reform", section=section)
                bucket, relation, quote = task.involves, "involves", f"深化{e.name}"
            elif pick < 0.88:
                e = self.use("Programme", section=section)
                bucket, relation, quote = task.involves, "involves", f"实施{e.name}"
            elif pick < 0.93:
                e = self.use("Designation", section=section)
                bucket, relation, quote = task.involves, "involves", f"创建{e.name}"
            elif pick < 0.97:
                e = self.use("Event", section=section)
                bucket, relation, quote = task.involves, "involves", f"办好{e.name}"
            else:
                e = self.use("Brand", section=section)
                bucket, relation, quote = task.involves, "involves", f"擦亮{e.name}品牌"
            if e.name not in bucket:
                bucket.append(e.name)
                self.evidence.append(Evidence(tid, relation, e.name, self.source(section, quote)))
        if rnd.random() < (0.35 if depth == 1 else 0.12):
            task.targets.append(self.target(f"{tid}-t", section, focus))
        if depth == 1:
            for k in range(rnd.choice((1, 2, 2, 3, 3, 4))):
                task.subtasks.append(self.task(f"{tid}-{k + 1}", f"{section} / {label.zh}", 2, rnd.choice(INDUSTRIES) if rnd.random() < 0.3 else focus))
        elif depth == 2 and rnd.random() < 0.1:
            for k in range(rnd.choice((1, 2))):
                task.subtasks.append(self.task(f"{tid}-{k + 1}", section, 3, focus))
        return task

    def plan(self) -> Plan:
        rnd = self.rnd
        zh, short, slug, en = self.region
        if self.kind == "outline":
            fyp, fyp_en, horizon = OUTLINE_YEARS[self.year]
            title = Text(f"{self.place}国民经济和社会发展第{fyp[1:-1]}个五年规划和二〇三五年远景目标纲要" if self.year == 2021 else
                         f"{self.place}国民经济和社会发展第{fyp[1:-1]}个五年规划纲要",
                         f"Outline of the {fyp_en} Five-Year Plan for the economic and social development of {self.place_en}")
            n_themes = rnd.randint(8, 12)
        else:
            title = Text(f"{self.year}年{self.place}人民政府工作报告", f"{self.place_en} government work report {self.year}")
            n_themes = rnd.randint(4, 8)
        gov = carrier("GovernmentBody", self.scope, 0)
        plan = Plan(id=self.id, title=title, spatial=Text(self.place, self.place_en), issued=f"{self.year}-{rnd.randint(1, 3):02d}-{rnd.randint(1, 28):02d}",
                    publisher=gov.name, source_title=title.zh, source_file=self.document)
        self.add_entity(gov, "标题", title.zh)
        vision_zh = f"奋力谱写{self.place}高质量发展新篇章"
        plan.vision = Vision(id="vision", label=Text(vision_zh, f"Write a new chapter of high-quality development in {self.place_en}"), sources=[self.source("标题", vision_zh)])
        for t_i, (tzh, ten, topics) in enumerate(rnd.sample(THEMES, n_themes)):
            tid = f"theme{t_i + 1}"
            theme = Theme(id=tid, label=Text(tzh, ten), sources=[self.source(f"{tzh} / 发展思路", f"就是要实现{tzh.replace(' ', '、')}")])
            section = f"{tzh} / 奋斗目标"
            for g_i, (pzh, pen) in enumerate(rnd.sample(topics, rnd.randint(2, len(topics)))):
                ezh, een = rnd.choice(GOAL_ENDINGS)
                gid = f"{tid}-goal{g_i + 1}"
                goal = Goal(id=gid, label=Text(f"{pzh}{ezh}", een.format(pen).capitalize()), sources=[self.source(section, f"{pzh}{ezh}")])
                if rnd.random() < 0.1:
                    d = self.use("Designation", section=section)
                    goal.involves.append(d.name)
                for k in range(rnd.randint(1, 4)):
                    goal.targets.append(self.target(f"{gid}-t{k + 1}", section, (pzh, pen)))
                theme.goals.append(goal)
            section = f"{tzh} / 重点任务"
            for k in range(rnd.randint(3, 6)):
                task = self.task(f"{tid}-task{k + 1}", section, 1, rnd.choice(INDUSTRIES))
                task.supports = [g.id for g in rnd.sample(theme.goals, rnd.choice((1, 1, 2)))]
                theme.tasks.append(task)
            plan.themes.append(theme)
        plan.entities = list(self.entities.values())
        plan.evidence = self.evidence
        return plan


def _trimmed(plan: Plan, keep: int) -> Plan:
    """``plan`` with its first ``keep`` themes only (and the entities and evidence they still use)."""
    themes = plan.themes[:keep]
    used: set[str] = {plan.publisher} if plan.publisher else set()
    task_ids: set[str] = set()
    for theme in themes:
        for goal in theme.goals:
            used.update(goal.involves)
        for key in theme.tasks:
            for t in key.walk():
                used.update(t.involves)
                used.update(t.develops)
                task_ids.add(t.id)
    by_name = {e.name: e for e in plan.entities}
    for name in list(used):
        used.update(by_name[name].anchored_by)
    entities = [e for e in plan.entities if e.name in used]
    evidence = [ev for ev in plan.evidence if (ev.subject in task_ids) or (ev.relation == "anchoredBy" and ev.subject in used)]
    return Plan(id=plan.id, title=plan.title, vision=plan.vision, themes=themes, entities=entities, spatial=plan.spatial, issued=plan.issued,
                publisher=plan.publisher, source_title=plan.source_title, source_file=plan.source_file, language=plan.language, evidence=evidence)


def corpus_with_triples(triples: int, seed: int = 1) -> Iterator[tuple[Plan, list]]:
    """Each plan of the corpus with its triples (``plan_triples``), until their count reaches ``triples``;
    the last plan is cut (by whole themes) to land as close above the target as it can."""
    total = 0
    for region, kind, year, cycle in plan_specs(seed):
        if total >= triples:
            return
        plan = _PlanMaker(region, kind, year, cycle, seed).plan()
        t = plan_triples(plan)
        if total + len(t) > triples:
            keep = len(plan.themes)
            while keep > 1:
                smaller = _trimmed(plan, keep - 1)
                st = plan_triples(smaller)
                if total + len(st) < triples:
                    break
                plan, t, keep = smaller, st, keep - 1
        total += len(t)
        yield plan, t


def corpus(triples: int, seed: int = 1) -> Iterator[Plan]:
    """The plans of the corpus of about ``triples`` triples (deterministic by ``seed``)."""
    for plan, _ in corpus_with_triples(triples, seed):
        yield plan


# -- output ---------------------------------------------------------------------------------------------
def write_yaml(triples: int, seed: int, out: Path) -> tuple[int, int]:
    """Write one YAML plan per file into ``out``; returns (plans, triples)."""
    import yaml

    from plangraph.loaders import dumps_yaml

    out.mkdir(parents=True, exist_ok=True)
    python_dump = yaml.safe_dump
    if hasattr(yaml, "CSafeDumper"):  # libyaml's emitter writes the same text, faster
        yaml.safe_dump = lambda data, **kw: yaml.dump(data, Dumper=yaml.CSafeDumper, **kw)  # type: ignore[assignment]
    n = count = 0
    try:
        for plan, t in corpus_with_triples(triples, seed):
            (out / f"{plan.id}.yaml").write_text(dumps_yaml(plan), encoding="utf-8")
            n += 1
            count += len(t)
    finally:
        yaml.safe_dump = python_dump
    return n, count


def _nq_lines(triples: list, graph: str) -> Iterator[str]:
    from rdflib.plugins.serializers.nt import _nt_row

    tail = f" <{graph}> .\n"
    for t in triples:
        yield _nt_row(t)[:-3] + tail


def write_nquads(triples: int, seed: int, path: Path, plans_pickle: Path | None = None, ontology: bool = True) -> tuple[int, int]:
    """Write every plan's triples in its named graph (and the ontology in its own) as N-Quads;
    ``plans_pickle`` also writes the Plan objects, one pickle after another. Returns (plans, triples)."""
    import pickle

    from plangraph.graph.build import ontology_graph
    from plangraph.graph.iri import ONTOLOGY_GRAPH, asserted_graph_iri

    n = count = 0
    pk = open(plans_pickle, "wb") if plans_pickle else None
    try:
        with open(path, "w", encoding="utf-8") as f:
            if ontology:
                f.writelines(_nq_lines(list(ontology_graph()), str(ONTOLOGY_GRAPH)))
            for plan, t in corpus_with_triples(triples, seed):
                f.writelines(_nq_lines(t, str(asserted_graph_iri(plan.id))))
                if pk is not None:
                    pickle.dump(plan, pk, protocol=pickle.HIGHEST_PROTOCOL)
                n += 1
                count += len(t)
    finally:
        if pk is not None:
            pk.close()
    return n, count


def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if mult != 1 else text) * mult)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=_size, required=True, help="the corpus's size in plan triples (100000, 100k, 1M)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="write one YAML plan per file into this folder")
    ap.add_argument("--nquads", type=Path, help="write the plans' triples (a named graph each) and the ontology as N-Quads")
    args = ap.parse_args(argv)
    if not args.out and not args.nquads:
        ap.error("give --out DIR and/or --nquads FILE")
    t0 = time.perf_counter()
    if args.out:
        n, count = write_yaml(args.triples, args.seed, args.out)
        print(f"{args.out}: {n} plans, {count} triples ({time.perf_counter() - t0:.1f} s)")
    if args.nquads:
        t0 = time.perf_counter()
        n, count = write_nquads(args.triples, args.seed, args.nquads)
        print(f"{args.nquads}: {n} plans, {count} plan triples + the ontology ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
