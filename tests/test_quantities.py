"""etl/quantities.py: tables of text -> figures, grouped by phenomenon, then the seed reports whole.

A row's expectation lists every figure the text holds as (expression as written, value, unit, approx);
a negative row expects none, or only the figures it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.quantities import Quantity, chinese_numeral_value, find_quantities, parse_quantity

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def read(text: str) -> list[tuple]:
    return [(text[q.start : q.end], q.value, q.unit, q.approx) for q in find_quantities(text)]


def one(expr: str, value: float, unit: str | None = None, approx: str | None = None) -> list[tuple]:
    return [(expr, value, unit, approx)]


ARABIC = [
    ("发现隐患1744处", one("1744处", 1744, "处")),
    ("整改率为98.79%", one("98.79%", 98.79, "%")),
    ("罚款32000元", one("32000元", 32000, "元")),
    ("疏浚河道25.4公里", one("25.4公里", 25.4, "公里")),
    ("检查企业单位97038家次", one("97038家次", 97038, "家次")),
    ("共 57 件", one("57 件", 57, "件")),
    ("面积3736的应急物资储备仓库", one("3736", 3736, None)),
    ("行政检查案件93\n", one("93", 93, None)),
    ("增长3倍", one("3倍", 3, "倍")),
    ("下降2.1个百分点", one("2.1个百分点", 2.1, "百分点")),
    ("千分之五即5‰", one("5‰", 5, "‰")),
    ("储备库3736㎡", one("3736㎡", 3736, "㎡")),
    ("建成50m2仓库", one("50m2", 50, "m2")),
    ("气温38℃", one("38℃", 38, "℃")),
]

SEPARATORS = [
    ("参训2,318人", one("2,318人", 2318, "人")),
    ("参训2，318人", one("2，318人", 2318, "人")),
    ("资金1,000,000元", one("1,000,000元", 1_000_000, "元")),
    ("共2,318.5万元", one("2,318.5万元", 23_185_000, "元")),
    # a group that is not three digits is no separator: two figures
    ("分别为12,34人", [("12", 12, None, None), ("34人", 34, "人", None)]),
    ("2022,312家企业", [("312家", 312, "家", None)]),  # 2022 alone is a bare year
]

FULL_WIDTH = [
    ("共１２３人", one("１２３人", 123, "人")),
    ("占９８．７％", one("９８．７％", 98.7, "%")),
    ("共计１，２００家次", one("１，２００家次", 1200, "家次")),
    ("约５００人", one("约５００人", 500, "人", "about")),
    ("⼆⼗⼈参加", one("⼆⼗⼈", 20, "人")),  # Kangxi radicals from a PDF text layer
]

CHINESE_NUMERALS = [
    ("组建三支队伍", one("三支", 3, "支")),
    ("一百二十人参加", one("一百二十人", 120, "人")),
    ("开展八百余次", one("八百余次", 800, "次", "more_than")),
    ("开展一千三百余次", one("一千三百余次", 1300, "次", "more_than")),
    ("共六百余", one("六百余", 600, None, "more_than")),
    ("两千人", one("两千人", 2000, "人")),
    ("十五个部门", one("十五个", 15, "个")),
    ("二十余支", one("二十余支", 20, "支", "more_than")),
    ("一万五千人", one("一万五千人", 15000, "人")),
    ("一万五人", one("一万五人", 15000, "人")),
    ("一千零五件", one("一千零五件", 1005, "件")),
    ("三十万元", one("三十万元", 300_000, "元")),
    ("七十五条贯彻意见", one("七十五条", 75, "条")),  # context is the extractor's
    ("百分之九十", one("百分之九十", 90, "%")),
    ("百分之九十八点六", one("百分之九十八点六", 98.6, "%")),
    ("百分之百", one("百分之百", 100, "%")),
    ("二点五万元", one("二点五万元", 25_000, "元")),
    ("三至五个", [("三至五个", 3, "个", None)]),
]

CHINESE_NOT_NUMBERS = [
    "一是加强组织领导",
    "党的二十大精神",
    "“十四五”应急管理体系规划",
    "三级包保",
    "连续三年",
    "十分重视",
    "组建一支应急救援队伍",  # a bare 一 is an article
    "两位人大代表",
    "一起研究",
    "整治三轮车",
    "七台河市",
    "一路走来",
    "逾百家",  # a bare 百 is no numeral
    "二〇二三年十二月",
    "三位一体的通信网",
    "打通最后一公里",
    "一户一策",
]

MIXED_MULTIPLIERS = [
    ("配备1.5万名劝导员", one("1.5万名", 15000, "名")),
    ("投入2.7亿元", one("2.7亿元", 270_000_000, "元")),
    ("罚款281.48万元", one("281.48万元", 2_814_800, "元")),
    ("行政罚款1142.462万元", one("1142.462万元", 11_424_620, "元")),
    ("10万多件(个)", one("10万多件", 100_000, "件", "more_than")),
    ("3万余人", one("3万余人", 30_000, "人", "more_than")),
    ("十余万人", one("十余万人", 100_000, "人", "more_than")),
    ("价值810多万元", one("810多万元", 8_100_000, "元", "more_than")),
    ("发放200万余份", one("200万余份", 2_000_000, "份", "more_than")),
    ("灌溉604.35万亩次", one("604.35万亩次", 6_043_500, "亩次")),
    ("投入400多万为队伍配置", one("400多万", 4_000_000, None, "more_than")),
    ("3千万元", one("3千万元", 30_000_000, "元")),
    ("约1.2万", one("约1.2万", 12000, None, "about")),
    ("5千人", one("5千人", 5000, "人")),
    ("5千米", one("5千米", 5, "千米")),  # a unit, not 5000 米
]

QUALIFIERS_BEFORE = [
    ("近30支", one("近30支", 30, "支", "nearly")),
    ("将近200人", one("将近200人", 200, "人", "nearly")),
    ("接近90%", one("接近90%", 90, "%", "nearly")),
    ("不足4人", one("不足4人", 4, "人", "nearly")),
    ("不到10%", one("不到10%", 10, "%", "nearly")),
    ("约4300万元", one("约4300万元", 43_000_000, "元", "about")),
    ("大约5个", one("大约5个", 5, "个", "about")),
    ("超过3000家", one("超过3000家", 3000, "家", "more_than")),
    ("超5000人", one("超5000人", 5000, "人", "more_than")),
    ("逾1000人", one("逾1000人", 1000, "人", "more_than")),
    ("参演人数过3000人", one("过3000人", 3000, "人", "more_than")),
    # the same characters as another word: no qualifier
    ("签约3个项目", one("3个", 3, "个")),
    ("附近3个社区", one("3个", 3, "个")),
    ("最近3次", one("3次", 3, "次")),
    ("通过3个部门", one("3个", 3, "个")),
    ("开展过2次", one("2次", 2, "次")),
]

QUALIFIERS_BETWEEN = [
    ("500余场次", one("500余场次", 500, "场次", "more_than")),
    ("30000余人次", one("30000余人次", 30000, "人次", "more_than")),
    ("20多个区县", one("20多个", 20, "个", "more_than")),
    ("200多种", one("200多种", 200, "种", "more_than")),
    ("为期2个多月", one("2个多月", 2, "个月", "more_than")),
    ("2个余小时", one("2个余小时", 2, "个小时", "more_than")),
]

QUALIFIERS_AFTER = [
    ("500人以上", one("500人以上", 500, "人", "more_than")),
    ("1500元以上", one("1500元以上", 1500, "元", "more_than")),
    ("100人左右", one("100人左右", 100, "人", "about")),
    ("60岁上下", one("60岁上下", 60, "岁", "about")),
    ("3人以下", one("3人以下", 3, "人", "nearly")),
    ("200人上下游企业", one("200人", 200, "人")),  # 上下游 is a word
    ("1000左右", one("1000左右", 1000, None, "about")),
]

RANGES = [
    ("1500—2800元", 1500, 2800, "元", None),
    ("1500—2800元左右", 1500, 2800, "元", "about"),
    ("3至5支", 3, 5, "支", None),
    ("2至4辆", 2, 4, "辆", None),
    ("300—500户", 300, 500, "户", None),
    ("3至5万元", 30000, 50000, "元", None),
    ("3万至5万元", 30000, 50000, "元", None),
    ("5%—10%", 5, 10, "%", None),
    ("1-2个", 1, 2, "个", None),
    ("10到20人", 10, 20, "人", None),
    ("10～20人", 10, 20, "人", None),
    ("两至三个", 2, 3, "个", None),
]

UNITS_LONGEST = [
    ("302人次", "人次"),
    ("42家次", "家次"),
    ("500场次", "场次"),
    ("20批次", "批次"),
    ("10件套", "件套"),
    ("3个品种", "个品种"),
    ("3736平方米", "平方米"),
    ("20平方公里", "平方公里"),
    ("3000立方米", "立方米"),
    ("2000篇次", "篇次"),
    ("5台套", "台套"),
    ("3个队", "个队"),
    ("11615路", "路"),
    ("28期", "期"),
]

UNIT_WORD_STARTS_A_WORD = [  # the unit character begins another word: the number keeps no unit
    ("12部门", "12"),
    ("5项目", "5"),
]

SHORTER_UNIT_WHEN_LONGER_BEGINS_A_WORD = [
    ("组建3个队伍", "3个", "个"),
    ("建成5个队", "5个队", "个队"),
]

DATES = [
    "2023年",
    "2023年12月11日",
    "5月14日",
    "2023-12-11",
    "2023/1/3",
    "2023.12.11",
    "16:44",
    "2023-01-03 16:44",
    "8时30分",
    "2022年度",
    "1—9月",
    "2021至2025年",
    "(2021-2025)",
    "2025、2030、2035年",
    "90后",
    "第三季度",
    "21世纪",
    # damaged by scraping
    "514日",
    "如818日召开",
    "2021年64",
    "2023年1",
    "汕尾市应急管理局\n\n202313\n",
    "202313",
    "20231211",
    "据统计,2022,全市",
    "2022安全生产月",
]

DOCUMENT_SESSION_PHONE = [
    "〔2023〕60号",
    "深应急〔2023〕60号",
    "第20230322号",
    "第0365号提案",
    "应急函128号.docx",
    "第七届人民代表大会",
    "第五十次会议",
    "五届四次会议",
    "市政协十四届二次会议",
    "第一责任人",
    "第四卷",
    "(一)",
    "1.深入学习",
    "  2.落实法治建设",
    "附件:1.建议提案",
    "（2）加强",
    "详见附件3)",
    "0755-83071111",
    "(0755)83071111",
    "13800138000",
    "400-123-4567",
    "联系电话:67510195",
    "邮政编码:401121",
    "标识码:4403000081",
    "政府网站标识码: 5000000097",
    "渝ICP备19005697号-1",
    "粤公网安备 44030402003002号",
    "举报投诉热线(邮箱): 12350;12350yjjb@sz.gov.cn",
    "拨打12345热线",
    "4403000081",
    "67510195",
    "COVID-19",
    "v2.5版本",
    "5G技术",
    "网站支持IPv6",
    "3A级景区",
    "市民中心C区5楼",
    "依据GB/T 29639-2020编制",
    "通过ISO 9001认证",
]

NAMES_AND_SLOGANS = [
    "“1+9+N”高质量发展评价体系",
    "“两委+4+11办”组织指挥格局",
    "“5+2”双学位",
    "《意见》重点聚焦“12345”",
    "郑州“7·20”特大暴雨",
    "“5·12”防灾减灾日",
    "“两品一械”案件",
    "安全生产“十五条硬措施”",
    "“十五条”硬措施",
    "按照三个必须党政同责",
    "强化“三个聚焦”",
    "“一次办”",
    "一次性补助",
]

SURVIVORS = [  # never-figures next to figures: only the figures come out
    ("截至2023年8月,共执法检查42家次", one("42家次", 42, "家次")),
    ("2021年以来,组织考试237场", one("237场", 237, "场")),
    ("2022年151家企业", one("151家", 151, "家")),
    ("5月20日开展演练,3562人参演", one("3562人", 3562, "人")),
    ("市政协五届四次会议期间召开3次会议", one("3次", 3, "次")),
    ("IV级应急响应2次", one("2次", 2, "次")),
    ("共有3、5、7人", [("3", 3, None, None), ("5", 5, None, None), ("7人", 7, "人", None)]),
    ("(占比67.83%)", one("67.83%", 67.83, "%")),
]


def _ids(rows):
    return [r[0] if isinstance(r, tuple) else r for r in rows]


@pytest.mark.parametrize("text, expected", ARABIC, ids=_ids(ARABIC))
def test_arabic(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", SEPARATORS, ids=_ids(SEPARATORS))
def test_thousands_separators(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", FULL_WIDTH, ids=_ids(FULL_WIDTH))
def test_full_width_and_compatibility_characters(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", CHINESE_NUMERALS, ids=_ids(CHINESE_NUMERALS))
def test_chinese_numerals(text, expected):
    got = read(text)
    assert [g[:3] for g in got] == [e[:3] for e in expected]
    assert [g[3] for g in got] == [e[3] for e in expected]


@pytest.mark.parametrize("text", CHINESE_NOT_NUMBERS)
def test_chinese_numerals_without_a_unit_are_not_figures(text):
    assert read(text) == []


@pytest.mark.parametrize(
    "numeral, value",
    [
        ("十", 10), ("十五", 15), ("二十", 20), ("一百二十", 120), ("八百", 800), ("两千", 2000),
        ("一千三百", 1300), ("一千零五", 1005), ("三千五", 3500), ("一万五", 15000), ("十二万", 120_000),
        ("一亿三千万", 130_000_000), ("十四五", None), ("一一", None), ("百十", None), ("十万万", None),
    ],
)  # fmt: skip
def test_chinese_numeral_value(numeral, value):
    assert chinese_numeral_value(numeral) == value


@pytest.mark.parametrize("text, expected", MIXED_MULTIPLIERS, ids=_ids(MIXED_MULTIPLIERS))
def test_multipliers(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", QUALIFIERS_BEFORE, ids=_ids(QUALIFIERS_BEFORE))
def test_qualifiers_before(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", QUALIFIERS_BETWEEN, ids=_ids(QUALIFIERS_BETWEEN))
def test_qualifiers_between(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", QUALIFIERS_AFTER, ids=_ids(QUALIFIERS_AFTER))
def test_qualifiers_after(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, lower, upper, unit, approx", RANGES, ids=_ids(RANGES))
def test_ranges(text, lower, upper, unit, approx):
    [q] = find_quantities(text)
    assert (q.is_range, q.value, q.upper, q.unit, q.approx) == (True, lower, upper, unit, approx)
    assert (q.start, q.end) == (0, len(text))


def test_range_spans_cover_both_bounds():
    text = "人均月工资1500—2800元左右"
    [q] = find_quantities(text)
    assert text[q.num_start : q.num_end] == "1500—2800"
    assert text[q.start : q.end] == "1500—2800元左右"


@pytest.mark.parametrize("text, unit", UNITS_LONGEST, ids=_ids(UNITS_LONGEST))
def test_units_longest_match(text, unit):
    [q] = find_quantities(text)
    assert (q.unit, q.end) == (unit, len(text))


@pytest.mark.parametrize("text, expr", UNIT_WORD_STARTS_A_WORD, ids=_ids(UNIT_WORD_STARTS_A_WORD))
def test_unit_character_that_begins_another_word(text, expr):
    [q] = find_quantities(text)
    assert (text[q.start : q.end], q.unit) == (expr, None)


@pytest.mark.parametrize("text, expr, unit", SHORTER_UNIT_WHEN_LONGER_BEGINS_A_WORD)
def test_shorter_unit_when_the_longer_begins_a_word(text, expr, unit):
    [q] = find_quantities(text)
    assert (text[q.start : q.end], q.unit) == (expr, unit)


@pytest.mark.parametrize("text", DATES)
def test_dates_and_damaged_dates_are_not_figures(text):
    assert read(text) == []


@pytest.mark.parametrize("text", DOCUMENT_SESSION_PHONE)
def test_document_session_phone_and_code_numbers_are_not_figures(text):
    assert read(text) == []


@pytest.mark.parametrize("text", NAMES_AND_SLOGANS)
def test_names_and_slogans_are_not_figures(text):
    assert read(text) == []


@pytest.mark.parametrize("text, expected", SURVIVORS, ids=_ids(SURVIVORS))
def test_figures_survive_next_to_never_figures(text, expected):
    assert read(text) == expected


def test_quantity_fields():
    text = "近500余场次"
    [q] = find_quantities(text)
    assert q == Quantity(500, "场次", "nearly", 0, 7, 1, 4)
    assert text[q.num_start : q.num_end] == "500"
    assert not q.percent and find_quantities("满意率100%")[0].percent
    with pytest.raises(AttributeError):
        q.value = 1  # frozen


@pytest.mark.parametrize(
    "s, expected",
    [
        ("10万多件", (100_000, "件", "more_than")),
        ("281.48万元", (2_814_800, "元", None)),
        (" 三支 ", (3, "支", None)),
        ("约500人", (500, "人", "about")),
        ("3736", (3736, None, None)),
    ],
)
def test_parse_quantity(s, expected):
    q = parse_quantity(s)
    assert q is not None and (q.value, q.unit, q.approx) == expected


@pytest.mark.parametrize("s", ["2023年", "十五", "共500人", "500人和3家", "", "一是"])
def test_parse_quantity_refuses_what_is_not_one_figure(s):
    assert parse_quantity(s) is None


# ---------------------------------------------------------------------------------------------- seeds

SEED_FIGURES = [
    ("shanwei-2022-fazhi-zhengfu.txt", "1744处", 1744, "处", None),
    ("shanwei-2022-fazhi-zhengfu.txt", "98.79%", 98.79, "%", None),
    ("shanwei-2022-fazhi-zhengfu.txt", "10万多件", 100_000, "件", "more_than"),
    ("shanwei-2022-fazhi-zhengfu.txt", "281.48万元", 2_814_800, "元", None),
    ("shanwei-2022-fazhi-zhengfu.txt", "3736", 3736, None, None),
    ("shanwei-2022-fazhi-zhengfu.txt", "200多种", 200, "种", "more_than"),
    ("shanwei-2022-fazhi-zhengfu.txt", "1262家次", 1262, "家次", None),
    ("shanwei-2022-fazhi-zhengfu.txt", "超过12000路", 12000, "路", "more_than"),
    ("luohe-2022-pingyi-zhenggai.txt", "500余场次", 500, "场次", "more_than"),
    ("luohe-2022-pingyi-zhenggai.txt", "30000余人次", 30000, "人次", "more_than"),
    ("luohe-2022-pingyi-zhenggai.txt", "7314.45万元", 73_144_500, "元", None),
    ("luohe-2022-pingyi-zhenggai.txt", "约4300万元", 43_000_000, "元", "about"),
    ("luohe-2022-pingyi-zhenggai.txt", "604.35万亩次", 6_043_500, "亩次", None),
    ("luohe-2022-pingyi-zhenggai.txt", "1313支", 1313, "支", None),
    ("chongqing-2021-zhengxie-tian-0365.txt", "近30支", 30, "支", "nearly"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "110万余人", 1_100_000, "人", "more_than"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "1.5万名", 15000, "名", None),
    ("chongqing-2021-zhengxie-tian-0365.txt", "1142.462万元", 11_424_620, "元", None),
    ("chongqing-2021-zhengxie-tian-0365.txt", "不足4人", 4, "人", "nearly"),
    ("shenzhen-2023-renda-jianyi.txt", "32000元", 32000, "元", None),
    ("shenzhen-2023-renda-jianyi.txt", "42家次", 42, "家次", None),
    ("shanghai-2024-jianyi-tian.txt", "57件", 57, "件", None),
]

SEED_NEVER = [  # (report, a string in it): no figure may start inside it
    ("shanwei-2022-fazhi-zhengfu.txt", "2023-01-03 16:44"),
    ("shanwei-2022-fazhi-zhengfu.txt", "\n202313\n"),
    ("shanwei-2022-fazhi-zhengfu.txt", "514日"),
    ("shanwei-2022-fazhi-zhengfu.txt", "(2021-2025)"),
    ("shanwei-2022-fazhi-zhengfu.txt", "2022,全市"),
    ("shanwei-2022-fazhi-zhengfu.txt", "“十五条”硬措施"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "2021年64"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "67510195"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "五届四次会议第0365号"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "三个必须"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "“两委+4+11办”"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "应急函128号"),
    ("chongqing-2021-zhengxie-tian-0365.txt", "50019002501595号"),
    ("luohe-2022-pingyi-zhenggai.txt", "第七届人民代表大会常务委员会第五十次会议"),
    ("luohe-2022-pingyi-zhenggai.txt", "“1+9+N”"),
    ("luohe-2022-pingyi-zhenggai.txt", "“7·20”"),
    ("luohe-2022-pingyi-zhenggai.txt", "5G技术"),
    ("luohe-2022-pingyi-zhenggai.txt", "“十四五”"),
    ("shenzhen-2023-renda-jianyi.txt", "〔2023〕60号"),
    ("shenzhen-2023-renda-jianyi.txt", "第20230322号"),
    ("shenzhen-2023-renda-jianyi.txt", "0755-83071111"),
    ("shenzhen-2023-renda-jianyi.txt", "4403000081"),
    ("shenzhen-2023-renda-jianyi.txt", "12350;12350yjjb"),
    ("shanghai-2024-jianyi-tian.txt", "“12345”"),
    ("shanghai-2024-jianyi-tian.txt", "十四届二次会议第0219号"),
    ("shanghai-2024-jianyi-tian.txt", "2025、2030、2035年"),
    ("shanghai-2024-jianyi-tian.txt", "附件:1.建议"),
]


def _report(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_quantities() -> dict[str, tuple[str, list[Quantity]]]:
    out = {}
    for path in sorted(REPORTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out[path.name] = (text, find_quantities(text))
    return out


@pytest.mark.parametrize(
    "doc, expr, value, unit, approx", SEED_FIGURES, ids=[f"{r[0][:8]}:{r[1]}" for r in SEED_FIGURES]
)
def test_seed_figures_found_with_their_span(seed_quantities, doc, expr, value, unit, approx):
    text, qs = seed_quantities[doc]
    hits = [q for q in qs if text[q.start : q.end] == expr]
    assert hits, f"{expr} not found in {doc}"
    assert any((q.value, q.unit, q.approx) == (value, unit, approx) for q in hits)


@pytest.mark.parametrize("doc, snippet", SEED_NEVER, ids=[f"{r[0][:8]}:{r[1].strip()}" for r in SEED_NEVER])
def test_seed_never_figures(seed_quantities, doc, snippet):
    text, qs = seed_quantities[doc]
    at = text.find(snippet)
    assert at >= 0, f"{snippet!r} is not in {doc}"
    inside = [text[q.start : q.end] for q in qs if at <= q.num_start < at + len(snippet)]
    assert inside == []


def test_seed_spans_are_ordered_and_consistent(seed_quantities):
    for doc, (text, qs) in seed_quantities.items():
        assert qs, doc
        for a, b in zip(qs, qs[1:], strict=False):
            assert a.end <= b.start, (doc, text[a.start : a.end], text[b.start : b.end])
        for q in qs:
            assert 0 <= q.start <= q.num_start < q.num_end <= q.end <= len(text)
            assert q.is_range == (q.upper is not None)
