"""normalise: characters, page layout and site furniture, as tables of input -> stored text."""

from __future__ import annotations

import pytest

from etl.normalise import display_width, normalise_chars, normalise_text, strip_site_furniture

BODY_LINE = "2022年,全市共排查发现隐患1744处,已整改1718处,整改率为98.79%,下一步将继续督促整改到位。"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        # Kangxi radicals and compatibility ideographs from PDF text layers
        ("救援队伍⼈数", "救援队伍人数"),
        ("⼀是强化责任", "一是强化责任"),
        ("⽔利部门", "水利部门"),
        ("\uf900", "\u8c48"),  # compatibility ideograph -> unified
        # radicals-supplement forms from fonts that share glyphs (Chromium's PDFs)
        ("人⺠代表", "人民代表"),
        ("部⻔", "部门"),
        ("⻝品安全", "食品安全"),
        ("⻣干队伍", "骨干队伍"),
        ("事业单位⸺应急救援中心", "事业单位——应急救援中心"),
        ("\u2329广东省\u232a", "〈广东省〉"),
        # forms NFKC would destroy are kept
        ("储备库面积3736㎡", "储备库面积3736㎡"),
        ("①建立机制", "①建立机制"),
        ("第Ⅲ阶段", "第Ⅲ阶段"),
        # full-width ASCII letters, digits and symbols
        ("发现隐患１７４４处", "发现隐患1744处"),
        ("整改率９８．７９％", "整改率98.79%"),
        ("ＩＣＰ备案", "ICP备案"),
        # Chinese punctuation stays as the document wrote it
        ("主办11件，会办18件（含消防）：", "主办11件，会办18件（含消防）："),
        ("是否满意？是！", "是否满意？是！"),
        ("、。「」《》", "、。「」《》"),
        ("主办11件,会办18件(含消防):", "主办11件,会办18件(含消防):"),
        # spaces
        ("市应急管理局\u3000\u3000版权", "市应急管理局  版权"),
        ("来源 :\u00a0深圳", "来源 : 深圳"),
        ("隐患\u200b1744处", "隐患1744处"),
        ("\u3000\u3000一、基本情况", "一、基本情况"),
    ],
)
def test_characters(raw: str, stored: str) -> None:
    assert normalise_text(raw) == stored


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("第一段\r\n第二段\r第三段", "第一段\n第二段\n第三段"),
        ("正文   \n下一行\t", "正文\n下一行"),
        ("第一段\n\n\n\n第二段", "第一段\n\n第二段"),
        ("\n\n第一段\n\n", "第一段"),
        ("控制\x07字符", "控制字符"),
    ],
)
def test_whitespace_and_line_endings(raw: str, stored: str) -> None:
    assert normalise_text(raw) == stored


def _printed(paragraph: str, columns: int = 60) -> list[str]:
    """The paragraph broken where a printed line is full (a Chinese character takes two columns)."""
    lines = [""]
    for char in paragraph:
        if display_width(lines[-1] + char) > columns:
            lines.append("")
        lines[-1] += char
    return lines


PARAGRAPH_ONE = (
    "2022年,市应急管理局坚持以习近平新时代中国特色社会主义思想为指导,认真履行职责,严格依法行政,"
    "全年共排查发现各类风险隐患1744处,已整改1718处,整改率为98.79%,组织开展各类应急演练326场次。"
)
PARAGRAPH_TWO = (
    "全市组建应急救援队伍51支2744人,储备各类应急物资200多种10万多件,储备库面积3736平方米,"
    "全年检查生产经营单位2318家次,实施行政处罚120次,罚款281.48万元,有力维护了安全生产形势稳定。"
)


@pytest.mark.parametrize(
    ("lines", "expected_paragraphs"),
    [
        # a sentence wrapped at the page width is one line again
        (_printed(PARAGRAPH_ONE) + [""] + _printed(PARAGRAPH_TWO), [PARAGRAPH_ONE, PARAGRAPH_TWO]),
        # pdfminer's one box per printed line: a blank line between the pieces
        (
            "\n\n".join(_printed(PARAGRAPH_ONE) + _printed(PARAGRAPH_TWO)).split("\n"),
            [PARAGRAPH_ONE, PARAGRAPH_TWO],
        ),
        # headings and list items start their own line
        (
            ["一、基本情况"] + _printed(PARAGRAPH_ONE) + ["(一)强化组织领导"] + _printed(PARAGRAPH_TWO),
            ["一、基本情况", PARAGRAPH_ONE, "(一)强化组织领导", PARAGRAPH_TWO],
        ),
        # a short title line is not glued to the body below it
        (
            ["汕尾市应急管理局2022年法治政府建设年度报告"] + _printed(PARAGRAPH_ONE),
            ["汕尾市应急管理局2022年法治政府建设年度报告", PARAGRAPH_ONE],
        ),
    ],
)
def test_hard_line_breaks_joined(lines: list[str], expected_paragraphs: list[str]) -> None:
    stored = normalise_text("\n".join(lines))
    assert [line for line in stored.split("\n") if line] == expected_paragraphs


def test_paragraph_per_line_text_is_not_joined() -> None:
    """Scraped text holds one paragraph a line: no page width, nothing to join."""
    lines = ["市政府办公厅:", "一、基本情况", BODY_LINE, "(一)加强组织领导,落实领导督办", PARAGRAPH_ONE * 3]
    assert normalise_text("\n".join(lines)) == "\n".join(lines)


def _pages(header: str, footer: str, bodies: list[list[str]]) -> str:
    return "\f".join(
        "\n".join([header.format(n=n), "", *body, "", footer.format(n=n), ""])
        for n, body in enumerate(bodies, start=1)
    )


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        ("汕尾市应急管理局文件", "- {n} -"),
        ("汕尾市应急管理局文件", "— {n} —"),
        ("汕尾市应急管理局文件", "第 {n} 页 共 3 页"),
        ("汕尾市应急管理局文件", "{n}"),
        ("2022年法治政府建设年度报告 第{n}页", "汕尾市应急管理局印发"),
    ],
)
def test_running_headers_and_page_numbers_dropped(header: str, footer: str) -> None:
    bodies = [["一、基本情况", BODY_LINE], ["二、存在问题", "基层力量薄弱。"], ["三、下步计划", "继续整改。"]]
    stored = normalise_text(_pages(header, footer, bodies))
    body_lines = [line for body in bodies for line in body]
    first_page_header = [header.format(n=1)]
    assert [line for line in stored.split("\n") if line] == first_page_header + body_lines


def test_sentence_split_by_a_page_break_is_joined() -> None:
    printed = _printed(PARAGRAPH_ONE)
    text = _pages("汕尾市应急管理局文件", "- {n} -", [printed[:2], printed[2:]])
    assert PARAGRAPH_ONE in normalise_text(text)


FURNITURE_LINES = [
    "无障碍版",
    "关怀版",
    "繁体",
    "简体 | 繁体",
    "网站支持ipv6",
    "网站支持IPv6",
    "您当前的位置: 首页>政务公开>法定主动公开内容>其他法定信息 > 建议/提案办理",
    "您现在所在的位置 : 首页 > 汕尾市人民政府门户网站 > 聚焦汕尾 > 2022年",
    "【字体: 大 中 小】",
    "• 【字体:",
    "分享到:",
    "扫一扫在手机打开当前页",
    "ICP备案: 渝ICP备19005697号-1     政府网站标识码: 5000000097",
    "渝公网安备   50019002501595号",
    "粤ICP备19041158号-1",
    "标识码:4403000081",
    "深圳市应急管理局 版权所有",
    "主办单位:深圳市应急管理局",
    "主办: 重庆市应急管理局主办",
    "联系方式:",
    "返回顶部",
    "打印本页",
    "【打印】【关闭】",
    "关闭窗口",
    "相关链接",
    "关联稿件:",
    "相关附件:",
    "Baidu",
    "map",
    "您访问的链接即将离开“汕尾市人民政府门户网站”,是否继续?",
]


@pytest.mark.parametrize("furniture", FURNITURE_LINES)
def test_furniture_line_dropped(furniture: str) -> None:
    assert strip_site_furniture(f"{BODY_LINE}\n{furniture}\n{BODY_LINE}") == f"{BODY_LINE}\n{BODY_LINE}"


KEPT_LINES = [
    # date and signature lines the metadata step reads
    "汕尾市应急管理局",
    "202313",
    "2024年11月19日",
    "时间:2022-10-20来源:",
    "信息提供日期 :2023-12-11",
    "来源 : 深圳市应急管理局   信息提供日期 :2023-12-11",
    "发布机构:汕尾市人民政府门户网站",
    "• 2023-01-03 16:44",
    "附件:1.建议提案主办件公开网址",
    # body sentences that merely mention a furniture word
    "我局在门户网站开设“关怀版”专栏,方便老年人查询应急知识。",
    "通过微信、微博分享到各类平台的宣传信息共计1200余条。",
    "主办11件,会办18件。",
    "市应急管理局主办的2022年防灾减灾宣传周活动共吸引3000余人参加。",
]


@pytest.mark.parametrize("kept", KEPT_LINES)
def test_body_and_signature_lines_kept(kept: str) -> None:
    assert strip_site_furniture(f"{BODY_LINE}\n{kept}") == f"{BODY_LINE}\n{kept}"


def test_footer_block_dropped_with_its_contact_lines() -> None:
    footer = [
        "深圳市应急管理局 版权所有",
        "主办单位:深圳市应急管理局",
        "联系方式:",
        "举报投诉热线(邮箱): 12350;12350yjjb@sz.gov.cn",
        "咨询及事故接报应急热线: 0755-83071111",
        "深圳市福田区福中路市民中心C区5楼",
    ]
    assert strip_site_furniture("\n".join(["专此报告。", "", *footer])) == "专此报告。"


def test_footer_words_inside_the_body_do_not_cut_it() -> None:
    text = "\n".join(["主办单位:市应急管理局", BODY_LINE, "2024年11月19日"])
    assert strip_site_furniture(text) == "\n".join([BODY_LINE, "2024年11月19日"])


def test_browser_print_furniture_inside_a_sentence_is_dropped_and_the_sentence_joined() -> None:
    """Chromium prints the date and page title on top, the URL (with its ﬁ ligature) and N/M below:
    pdfminer leaves blank lines around them, and the page break falls inside a word."""
    printed = _printed(PARAGRAPH_ONE)

    def page(number: int, body: list[str]) -> str:
        header = ["12/1/26, 9:19 AM", "", "某县应急管理局工作总结_某县人民政府网", ""]
        return "\n".join([*header, *body, "", "ﬁle:///tmp/x.html", "", f"{number}/2"])

    stored = normalise_text(page(1, printed[:2]) + "\f" + page(2, printed[2:]))
    assert PARAGRAPH_ONE in stored
    assert "file:" not in stored and "ﬁ" not in stored
    assert stored.count("某县人民政府网") == 1  # the first page's title stays, the repeat goes


def test_typed_text_with_short_lines_is_not_joined() -> None:
    """A statistics sheet typed line by line has no margin its lines end at: no line is joined."""
    lines = [
        "填报单位：某旗应急管理局（盖章）  填报日期：2022年1月18日  单位负责人：××  联系电话：0477-4××××",
        "序号 指标名称 计量单位 2020年 2021年 2021年比上年增减（%）",
        "1 检查生产经营单位 家次 2,047 2,315 13.1",
        "2 罚款金额 万元 748.3 903.6 20.8",
        "“检查生产经营单位”含旗应急管理局综合行政执法大队及各苏木乡镇、街道应急管理机构的执法检查数量",
    ]
    assert normalise_text("\n".join(lines)) == "\n".join(lines)


def test_kangxi_radicals_of_a_simplified_font_read_as_simplified_characters() -> None:
    assert normalise_chars("门⼾⽹站、⾞辆、⾨口、⿂塘") == "门户网站、车辆、门口、鱼塘"
