"""Why the ETL refused a file, said in Chinese: the ETL writes its one-line reasons in English (for the run
summary and the log), and the Chinese UI shows them through this table.

One entry per reason form the ETL writes: a regex over the English reason and a Chinese template using its
named groups. The groups keep the technical bits as written (file names, sizes, exit codes, document
numbers, area names, Python error types); a group named `why` is a reason of its own (the part after
`no detectable area:`, a manifest line's problem) and is translated again through the same table, and
`whys` a list of them (an import template's refused rows); `os`,
`csv` and `exit` groups hold the operating system's or the csv module's message or an exit status,
translated when known. A reason no entry knows (a message a later ETL writes) is shown in English after a
Chinese lead-in, never dropped. The templates live here rather than in i18n.py because each belongs to its
regex. tests/test_refusal_reasons.py checks that every reason form in etl/ has an entry here.
"""

from __future__ import annotations

import re

SOURCE_LANG = "en"  # the language the ETL writes its reasons in
UNKNOWN_FORM = "未能入库：{reason}"  # a reason no entry knows, in the ETL's words

_QUOTED = r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"  # a manifest cell as repr() writes it
_ENTRIES: tuple[tuple[str, str], ...] = (
    # etl/ingest.py: what cannot be read faithfully
    (
        r"unsupported type (?P<suffix>\S+) \(convert to \.docx or \.pdf\)",
        "不支持的文件类型 {suffix}（请转换为 .docx 或 .pdf）",
    ),
    (r"unsupported type (?P<suffix>.+)", "不支持的文件类型 {suffix}"),
    (r"file over (?P<mb>\d+) MB", "文件超过 {mb} MB"),
    (r"empty file", "空文件"),
    (r"no body text after stripping page furniture", "去掉网页框架（导航、页眉页脚等）后没有正文"),
    (r"docx is not a valid zip", "docx 文件不是有效的 zip 压缩包"),
    (r"docx has a broken word/document\.xml", "docx 中的 word/document.xml 已损坏"),
    (r"docx XML nested deeper than (?P<n>\d+) levels", "docx 的 XML 嵌套超过 {n} 层"),
    (r"docx has no word/document\.xml", "docx 中缺少 word/document.xml"),
    (
        r"docx word/document\.xml inflates past (?P<mb>\d+) MB \(zip bomb\?\)",
        "docx 的 word/document.xml 解压后超过 {mb} MB（疑似 zip 炸弹）",
    ),
    (r"docx is encrypted \(a password is needed to read it\)", "docx 已加密（需要密码才能读取）"),
    (
        r"docx word/document\.xml uses an unsupported compression \((?P<method>[^)]*)\)",
        "docx 的 word/document.xml 使用了不支持的压缩方式（{method}）",
    ),
    (
        r"docx has a damaged word/document\.xml \(bad zip data\)",
        "docx 中的 word/document.xml 已损坏（zip 数据有误）",
    ),
    (
        r"docx word/document\.xml has over (?P<n>[\d,]+) XML tags",
        "docx 的 word/document.xml 含 XML 标签超过 {n} 个",
    ),
    (r"PDF is encrypted \(a password is needed to read its text\)", "PDF 已加密（需要密码才能读取文字）"),
    (r"not a readable PDF", "不是可读取的 PDF 文件"),
    (r"PDF has no text layer \(scanned; no OCR offline\)", "PDF 没有文字层（扫描件；离线环境不做 OCR 识别）"),
    (r"undecodable text", "无法识别文字编码"),
    (r"binary file \(not text\)", "二进制文件（不是文本）"),
    # etl/extract.py
    (
        r"more than (?P<n>[\d,]+) figures: no bureau report holds that many",
        "数字超过 {n} 个：应急管理局的报告不会有这么多",
    ),
    # etl/workers.py: the reading process and its budgets
    (
        r"the reading process ended while reading it \(exit status (?P<exit>-?\d+|None)\)",
        "读取进程在读取该文件时退出（退出状态 {exit}）",
    ),
    (
        r"over the memory budget: reading it took more than (?P<mb>\S+) MB",
        "超出内存预算：读取该文件占用超过 {mb} MB",
    ),
    (
        r"over the time budget: not read and extracted within (?P<s>\S+) s",
        "超出时间预算：未能在 {s} 秒内读取并提取完毕",
    ),
    # etl/reader.py: a bug, quarantined rather than stopping the run
    (r"internal error: (?P<type>\w+): (?P<message>.*)", "内部错误：{type}：{message}"),
    # etl/scan.py, etl/incremental.py: what the walk cannot read or follow
    (r"cannot read the file: (?P<os>.+)", "无法读取该文件：{os}"),
    (
        r"cannot read the folder: (?P<os>.+); its reports were not read",
        "无法读取该文件夹：{os}；其中的报告均未读取",
    ),
    (
        r"not a regular file \(a pipe, socket or device\): not read",
        "不是普通文件（管道、套接字或设备）：未读取",
    ),
    (
        r"symbolic link pointing outside the reports folder: refused, not read",
        "符号链接指向报告文件夹之外：已拒绝，未读取",
    ),
    (
        r"symbolic link to something that is not a regular file: not read",
        "符号链接指向的不是普通文件：未读取",
    ),
    (r"dangling symbolic link: its target does not exist", "失效的符号链接：目标不存在"),
    (r"symbolic link loop: it never reaches a file", "符号链接循环：始终指不到文件"),
    (r"cannot follow the symbolic link: (?P<os>.+)", "无法跟随符号链接：{os}"),
    # etl/metadata.py
    (
        r"no detectable year: no year in the title or opening and no date "
        r"\(page label, dateline, signature\); give the year in manifest\.csv",
        "无法识别年份：标题和开头没有年份，也没有日期（网页标注的日期、电头、落款日期）；"
        "请在 manifest.csv 中填写年份",
    ),
    # etl/authors.py, etl/author_refusals.py: the issuing area
    (
        r"no detectable area: (?P<said>.+) is ambiguous \((?P<options>.+)\); give the code in manifest\.csv",
        "无法识别发文地区：“{said}”有多个可能（{options}）；请在 manifest.csv 中填写地区代码",
    ),
    (
        r"no detectable area: (?P<why>.+); give the area in manifest\.csv",
        "无法识别发文地区：{why}；请在 manifest.csv 中填写地区",
    ),
    (
        r"the document number (?P<number>.+) is a province's \((?P<province>[^)]+)\)",
        "文号 {number} 是省级（{province}）的文号",
    ),
    (
        r"the document number's prefix (?P<prefix>\S+) names no known area",
        "文号前缀“{prefix}”不对应任何已知地区",
    ),
    (
        r"the document number's prefix (?P<prefix>\S+) may stand for (?P<listed>.+); "
        r"the text does not settle it",
        "文号前缀“{prefix}”可能指 {listed}，正文无法确定是哪一个",
    ),
    (
        r"the text names (?P<named>.+) only in passing or as the recipient, not as its author",
        "正文只是顺带提到或把 {named} 作为收文单位，它不是发文单位",
    ),
    (
        r"the text names its bureau only as (?P<body>.+), with no area name",
        "正文只把发文单位称为“{body}”，没有地区名称",
    ),
    (r"the text says only (?P<body>.+)", "正文只说“{body}”"),
    (
        r"looked for an issuing body in the title, headline, byline, speaker line, source line, signature, "
        r"填报单位, yearbook title and document number",
        "在标题、大标题、署名、讲话人、来源、落款、填报单位、年鉴标题和文号中都没有找到发文单位",
    ),
    # review/template.py: an import template none of whose rows could be loaded (each row's problem as
    # written: they name columns and values of the template)
    (r"import template with no valid rows: (?P<whys>.+)", "导入模板中没有可导入的行：{whys}"),
    (r"row (?P<row>\d+): (?P<why>.+)", "第 {row} 行：{why}"),
    (r"missing (?P<columns>[a-z_, ]+)", "缺少 {columns}"),
    (r"unknown indicator (?P<cell>'.*')", "未知指标 {cell}"),
    (
        r"unit (?P<cell>'.*') does not match (?P<unit>'.*'), the unit of (?P<id>'.*')",
        "单位 {cell} 与指标 {id} 的单位 {unit} 不符",
    ),
    (r"a rate over 100 \((?P<value>[^)]+)\)", "比率超过 100（{value}）"),
    (r"value (?P<cell>'.*') is not a number", "数值 {cell} 不是数字"),
    (r"value (?P<cell>'.*') is not a count or amount", "数值 {cell} 不是有效的数量或金额"),
    (r"(?P<id>'.*') has no (?P<dims>[a-z_, ]+)", "指标 {id} 没有 {dims} 维度"),
    (r"unknown (?P<dim>[a-z_]+) (?P<cell>'.*')", "未知的 {dim} 取值 {cell}"),
    (
        r"rows (?P<rows>[\d, ]+) give the same figure different values \((?P<values>[^)]+)\): none loaded",
        "第 {rows} 行给出同一数字的不同数值（{values}）：均未导入",
    ),
    (r"repeats row (?P<row>\d+) \(loaded once\)", "与第 {row} 行重复（只导入一次）"),
    # etl/manifest.py: a manifest, or a line of it, that was not applied
    (r"line (?P<line>\d+): (?P<why>.+)", "第 {line} 行：{why}"),
    (
        r"(?P<n>\d+) manifests in one folder \((?P<names>.+)\): none applied; keep one",
        "同一文件夹中有 {n} 个清单文件（{names}）：均未采用；请只保留一个",
    ),
    (
        r"cannot be decoded as UTF-8 or GB18030; save it as CSV UTF-8",
        "无法按 UTF-8 或 GB18030 解码；请另存为 CSV UTF-8 格式",
    ),
    (r"broken CSV quoting \((?P<csv>.+)\): this line is not applied", "CSV 引号不完整（{csv}）：此行未采用"),
    (
        r"missing columns (?P<columns>\[.*\]); expected (?P<expected>.+)",
        "缺少列 {columns}；应有的列：{expected}",
    ),
    (
        r"unknown columns (?P<columns>\[.*\]); expected (?P<expected>.+)",
        "有未知的列 {columns}；应有的列：{expected}",
    ),
    (r"the file cell is blank", "file 列为空"),
    (
        rf"the file cell (?P<cell>{_QUOTED}) is a path: give the file's base name only",
        "file 列 {cell} 是路径：只填文件名，不带文件夹",
    ),
    (r"(?P<file>.+) is listed twice", "{file} 出现了两次"),
    (
        rf"unknown area (?P<cell>{_QUOTED}): use a short name, full name or 6-digit code",
        "未知地区 {cell}：请填写简称、全称或 6 位行政区划代码",
    ),
    (
        rf"ambiguous area (?P<cell>{_QUOTED}) \((?P<options>.+)\): use the 6-digit code",
        "地区 {cell} 有多个可能（{options}）：请填写 6 位行政区划代码",
    ),
    (
        rf"bad year (?P<cell>{_QUOTED}): expected a year such as 2023",
        "年份 {cell} 无效：应为 2023 这样的年份",
    ),
    (
        rf"unknown doc_type (?P<cell>{_QUOTED}): expected one of (?P<types>.+)",
        "未知的 doc_type {cell}：应为以下之一：{types}",
    ),
    (
        rf"bad published date (?P<cell>{_QUOTED}): expected YYYY-MM-DD",
        "发布日期 {cell} 无效：格式应为 YYYY-MM-DD",
    ),
    (
        rf"bad url (?P<cell>{_QUOTED}): expected an http:// or https:// address without spaces",
        "网址 {cell} 无效：应为不含空格的 http:// 或 https:// 地址",
    ),
    (
        rf"bad publisher (?P<cell>{_QUOTED}): expected a name of at most (?P<n>\d+) characters",
        "发布机构 {cell} 无效：应为不超过 {n} 个字符的名称",
    ),
)
REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), z) for p, z in _ENTRIES)

# os.strerror() of the errors a walk or a read meets; another keeps the system's words
OS_MESSAGES: dict[str, str] = {
    "Permission denied": "没有权限",
    "No such file or directory": "文件或文件夹不存在",
    "Input/output error": "输入输出错误",
    "Too many levels of symbolic links": "符号链接层级过多",
    "Is a directory": "这是文件夹",
    "Not a directory": "路径中有一段不是文件夹",
    "File name too long": "文件名过长",
    "Stale file handle": "文件句柄已失效",
    "Operation not permitted": "不允许的操作",
}
# csv.Error messages of one line read with strict=True; another keeps the csv module's words
CSV_MESSAGES: dict[str, str] = {
    "unexpected end of data": "引号未闭合",
    "',' expected after '\"'": "引号后应紧跟逗号",
    "line contains NUL": "含有 NUL 字符",
}
EXIT_STATUSES: dict[str, str] = {"None": "未知"}  # the process had not ended when asked
PART_TABLES: dict[str, dict[str, str]] = {"os": OS_MESSAGES, "csv": CSV_MESSAGES, "exit": EXIT_STATUSES}


def reason_in(reason: str, lang: str) -> str:
    """A stored refusal reason as the UI shows it in `lang`: as written in English, else in Chinese."""
    if lang == SOURCE_LANG:
        return reason
    return chinese(reason)


def chinese(reason: str) -> str:
    """The reason in Chinese; one of a form no entry knows, in English after a Chinese lead-in."""
    translated = _translated(reason)
    return translated if translated is not None else UNKNOWN_FORM.format(reason=reason)


def _translated(reason: str) -> str | None:
    """The first entry's template filled with the reason's parts, or None when no entry matches."""
    for pattern, template in REASONS:
        if match := pattern.fullmatch(reason):
            return template.format(**{name: _part(name, text) for name, text in match.groupdict().items()})
    return None


def _part(name: str, text: str) -> str:
    """A group as the Chinese sentence holds it: a nested reason translated (kept in English when unknown),
    a system message translated when known, anything else as written."""
    if name == "why":
        return _translated(text) or text
    if name == "whys":  # reasons of their own, listed with "; " (and "…" when cut)
        return "；".join(_translated(part) or part for part in text.split("; "))
    return PART_TABLES.get(name, {}).get(text, text)
