"""Every UI string in both languages, so a translation is a dict edit and never a code change.

Indicator, category and dim names are not here: they come from the database (the catalog as loaded).
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

UI_STRINGS: dict[str, dict[str, str]] = {
    "title": {"zh": "应急管理指标对比", "en": "Emergency management indicators"},
    "nav_dashboard": {"zh": "指标面板", "en": "Dashboard"},
    "nav_reports": {"zh": "报告清单", "en": "Reports"},
    "areas": {"zh": "地区", "en": "Areas"},
    "areas_placeholder": {
        "zh": "输入地名或拼音（默认：所有已报告地区）",
        "en": "Type a name or pinyin (default: all reporting areas)",
    },
    "level": {"zh": "行政级别", "en": "Level"},
    "level_all": {"zh": "全部", "en": "All"},
    "level_city": {"zh": "市级", "en": "Cities"},
    "level_county": {"zh": "区县级", "en": "Districts/counties"},
    "year": {"zh": "年份", "en": "Year"},
    "year_latest": {"zh": "最新（各地最近报告年份）", "en": "Latest (each area's latest year)"},
    "file_latest": {"zh": "最新", "en": "latest"},  # the latest year in a file name
    "category": {"zh": "类别", "en": "Category"},
    "category_all": {"zh": "全部类别", "en": "All categories"},
    "per_10k": {"zh": "按每万常住人口", "en": "Per 10,000 residents"},
    "home": {"zh": "本地区（高亮）", "en": "Home area (highlighted)"},
    "target": {"zh": "整改率目标（%）", "en": "Closure-rate target (%)"},
    "language": {"zh": "English", "en": "中文"},
    "overview": {"zh": "总览", "en": "Overview"},
    "card_documents": {"zh": "已入库报告", "en": "Reports loaded"},
    "card_areas": {"zh": "所选地区中有数据的", "en": "Selected areas with data"},
    "card_values": {"zh": "指标值", "en": "Indicator values"},
    "card_quarantine": {"zh": "未能入库的文件", "en": "Files not loaded"},
    "coverage": {"zh": "数据覆盖（地区 × 指标）", "en": "Coverage (area × indicator)"},
    "cov_reported": {"zh": "已报告", "en": "reported"},
    "cov_derived": {"zh": "推算", "en": "derived"},
    "cov_flagged": {"zh": "存疑", "en": "flagged"},
    "cov_reviewed": {"zh": "已审核", "en": "reviewed"},
    "cov_missing": {"zh": "未报告", "en": "not reported"},
    # English captions and titles use ASCII punctuation ("Unit: people"), Chinese ones full-width
    "caption_unit": {"zh": "单位：{unit}", "en": "Unit: {unit}"},
    "caption_definition": {"zh": "口径：{text}", "en": "Definition: {text}"},
    "caption_definition_of": {"zh": "口径（{name}）：{text}", "en": "Definition ({name}): {text}"},
    "list_joiner": {"zh": "、", "en": ", "},
    "title_with_unit": {"zh": "{title}（{unit}）", "en": "{title} ({unit})"},
    "caption_reported": {"zh": "所选 {m} 个地区中 {n} 个有数据", "en": "{n} of {m} selected areas reported"},
    "caption_missing": {"zh": "未报告：{names}", "en": "Not reported: {names}"},
    "caption_population": {
        "zh": "人口：2020年第七次全国人口普查（{source}）",
        "en": "Population: 2020 census ({source})",
    },
    "caption_no_population": {"zh": "无人口数据：{names}", "en": "No population figure: {names}"},
    "no_data": {"zh": "所选地区均未报告此指标", "en": "None of the selected areas reported this"},
    "panel_empty": {"zh": "所选地区、年份在此类别下没有数据。", "en": "No data for this selection."},
    "legend_derived": {"zh": "推算值（斜线）", "en": "Derived (hatched)"},
    "legend_below_target": {"zh": "低于目标 {t}%", "en": "Below the {t}% target"},
    "caption_missing_of": {"zh": "未报告{name}：{names}", "en": "Not reported ({name}): {names}"},
    "legend_flagged": {"zh": "存疑（红框）", "en": "Flagged (red outline)"},
    "counts_title": {"zh": "{first}与{second}", "en": "{first} vs {second}"},
    "target_line": {"zh": "目标 {t}%", "en": "Target {t}%"},
    "per_10k_unit": {"zh": "{unit}/万人", "en": "{unit} per 10k residents"},
    "partial": {"zh": "非全年", "en": "partial year"},
    "cumulative": {"zh": "累计", "en": "cumulative"},
    "col_area": {"zh": "地区", "en": "Area"},
    "col_year": {"zh": "年份", "en": "Year"},
    "col_indicator": {"zh": "指标", "en": "Indicator"},
    "col_dims": {"zh": "分项", "en": "Breakdown"},
    "col_value": {"zh": "数值", "en": "Value"},
    "col_unit": {"zh": "单位", "en": "Unit"},
    "col_approx": {"zh": "约数", "en": "Approx."},
    "col_derived": {"zh": "推算", "en": "Derived"},
    "col_flags": {"zh": "标记", "en": "Flags"},
    "col_period": {"zh": "期间", "en": "Period"},
    "col_scope": {"zh": "范围", "en": "Scope"},
    "col_evidence": {"zh": "原文", "en": "Evidence"},
    "col_source": {"zh": "来源文件", "en": "Source file"},
    "col_value_number": {"zh": "数值（数字）", "en": "Value (number)"},
    "col_type": {"zh": "类型", "en": "Type"},
    "col_title": {"zh": "标题", "en": "Title"},
    "col_published": {"zh": "发布日期", "en": "Published"},
    "col_facts": {"zh": "指标数", "en": "Facts"},
    "col_reason": {"zh": "原因", "en": "Reason"},
    "col_file": {"zh": "文件", "en": "File"},
    "col_rank": {"zh": "排名", "en": "Rank"},
    "col_change": {"zh": "较上年", "en": "Change vs previous year"},
    "col_change_number": {"zh": "较上年（数字）", "en": "Change (number)"},
    "col_home": {"zh": "本地区", "en": "Home area"},
    "rank_of": {"zh": "第{rank}/{n}", "en": "{rank} of {n}"},
    "view": {"zh": "显示方式", "en": "Show"},
    "view_charts": {"zh": "图表", "en": "Charts"},
    "view_table": {"zh": "表格", "en": "Table"},
    "table_view_title": {"zh": "指标表（地区 × 指标）", "en": "Indicator table (area × indicator)"},
    "table_view_hint": {
        "zh": "每个地区取所选年份范围内的最近年份；排名为同级地区中的名次；点击数值查看原文。",
        "en": "Each area's latest year shown; ranks among areas of its level; click a value for its source.",
    },
    "yes": {"zh": "是", "en": "yes"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "download_xlsx": {"zh": "下载 Excel", "en": "Download XLSX"},
    "table_hint": {
        "zh": "点击数值查看原文；点击表头排序。",
        "en": "Click a value to see its source sentence; click a header to sort.",
    },
    "export_panel": {"zh": "导出图表", "en": "Export charts"},
    "export_all": {"zh": "导出全部", "en": "Export all"},
    "export_all_hint": {
        "zh": "当前视图的全部图表（PNG/SVG 打包为 ZIP，或一份 PDF/PPTX/DOCX 报告）：",
        "en": "Every chart of this view (PNG/SVG in one ZIP, or one PDF/PPTX/DOCX report):",
    },
    "export_download": {"zh": "下载", "en": "Download"},
    "size_word": {"zh": "Word（A4 宽）", "en": "Word (A4 width)"},
    "size_slide": {"zh": "幻灯片（16:9）", "en": "Slides (16:9)"},
    "export_nothing": {
        "zh": "没有可导出的图表：所选地区均未报告。",
        "en": "Nothing to export: no values reported.",
    },
    "export_unavailable": {
        "zh": "此服务器暂时无法导出图片：{reason}",
        "en": "This server cannot export images: {reason}",
    },
    "evidence_title": {"zh": "数据来源", "en": "Where this number comes from"},
    "evidence_hint": {
        "zh": "点击图中的柱或点、或表格中的数值，查看其出处。",
        "en": "Click a bar, point or table value to see where it comes from.",
    },
    "evidence_derived": {
        "zh": "此值由同一报告中的其他数字推算得出：",
        "en": "This value is computed from other figures in the same report:",
    },
    "evidence_full_text": {"zh": "查看全文（高亮此处）", "en": "Full text (span highlighted)"},
    "close": {"zh": "关闭", "en": "Close"},
    "doc_not_found": {"zh": "找不到该报告。", "en": "No such report."},
    "back": {"zh": "返回指标面板", "en": "Back to the dashboard"},
    "reports_loaded": {"zh": "已入库的报告", "en": "Loaded reports"},
    "reports_quarantined": {"zh": "未能入库的文件及原因", "en": "Files not loaded, with reasons"},
    "reports_none_quarantined": {"zh": "最近一次运行没有被拒收的文件。", "en": "No file was refused."},
    "how_to_add": {"zh": "如何添加报告", "en": "How to add a report"},
    "how_to_add_steps": {
        "zh": (
            "1. 把报告（.txt、.html、.docx 或带文字层的 .pdf）放进 data/reports/ 文件夹。\n"
            "2. 报告正文看不出地区或年份时，在同一文件夹的 manifest.csv 中写一行：file,area,year"
            "（可选 doc_type,published,url,publisher：类型、发布日期、原文网址、发布机构；"
            "留空表示自动识别）。\n"
            "3. 运行 python -m etl run --reports data/reports，然后刷新本页面（无需重启）。"
        ),
        "en": (
            "1. Put the report (.txt, .html, .docx or a .pdf with a text layer) into data/reports/.\n"
            "2. If its text does not say the area or year, add a line to manifest.csv in the same folder: "
            "file,area,year (optional doc_type,published,url,publisher: type, date, original address, "
            "publisher; a blank cell means detect).\n"
            "3. Run python -m etl run --reports data/reports, then reload this page (no restart needed)."
        ),
    },
    "missing_db_title": {"zh": "还没有数据库", "en": "No database yet"},
    "missing_db_body": {
        "zh": "找不到可用的数据库 {path}（{reason}）。请先运行下面的命令，从报告生成数据库，然后刷新本页：",
        "en": "No usable database at {path} ({reason}). Build it from the reports, then reload this page:",
    },
    "reason_missing": {"zh": "文件不存在", "en": "the file does not exist"},
    "reason_empty": {"zh": "数据库中没有报告", "en": "it holds no reports"},
    "reason_unreadable": {"zh": "无法读取", "en": "it cannot be read"},
    "reason_unreadable_detail": {"zh": "无法读取：{detail}", "en": "it cannot be read: {detail}"},
    "reason_schema_detail": {
        "zh": "表结构与本程序不符：{detail}",
        "en": "its tables are not the ones this dashboard reads: {detail}",
    },
    "notice_too_many_areas": {
        "zh": "一次最多比较 {cap} 个地区（链接中有 {n} 个），已只显示前 {cap} 个。",
        "en": "At most {cap} areas can be compared at once (the link names {n}): showing the first {cap}.",
    },
    "notice_unknown_area": {
        "zh": "未识别的地区“{value}”，已忽略。",
        "en": "Unknown area “{value}”: ignored.",
    },
    "notice_ambiguous_area": {
        "zh": "“{value}”对应多个地区（{choices}），请使用行政区划代码。",
        "en": "“{value}” matches several areas ({choices}); please use the code.",
    },
    "notice_bad_param": {
        "zh": "参数 {param}={value} 无效，已忽略。",
        "en": "Invalid parameter {param}={value}: ignored.",
    },
    "notice_not_city": {
        "zh": "“{value}”不是市级地区，已按所选行政级别移除。",
        "en": "“{value}” is not a city: removed (level filter).",
    },
    "notice_not_county": {
        "zh": "“{value}”不是区县级地区，已按所选行政级别移除。",
        "en": "“{value}” is not a district or county: removed (level filter).",
    },
    "and_more": {"zh": " 等 {n} 个", "en": " and {n} more"},
    "ranked_rest": {"zh": "… 其余 {n} 个地区 …", "en": "… {n} other areas …"},
    "ranked_rest_note": {
        "zh": "其余 {n} 个地区：中位数 {median}，{br}范围 {low} 至 {high} {unit}{br}（表格列出全部地区）",
        "en": "{n} other areas: median {median}, {br}range {low} to {high} {unit} "
        "{br}(the table lists every area)",
    },
    "trend_median": {"zh": "全部地区中位数", "en": "Median of all areas"},
    "trend_middle_half": {"zh": "中间一半地区", "en": "Middle half of areas"},
    "coverage_share": {"zh": "报告比例", "en": "Share reporting"},
    "coverage_by_province": {
        "zh": "数据覆盖（省份 × 指标：报告该指标的地区比例）",
        "en": "Coverage (province × indicator: share of areas reporting)",
    },
    "coverage_cell": {
        "zh": "{n}/{m} 个地区报告（推算 {derived}，存疑 {flagged}，已审核 {reviewed}）",
        "en": "{n}/{m} areas reported ({derived} derived, {flagged} flagged, {reviewed} reviewed)",
    },
    "coverage_drill": {"zh": "查看某省各地区：", "en": "Areas of a province:"},
    "group_cities": {"zh": "所有地级市", "en": "All cities"},
    "group_province": {"zh": "{province}全部地区", "en": "All areas of {province}"},
    "view_all_areas": {"zh": "所有地区", "en": "All areas"},
    "view_n_areas": {"zh": "{n} 个地区", "en": "{n} areas"},
    "group_count": {"zh": "{label}（{n} 个有报告）", "en": "{label} ({n} with reports)"},
    "peers": {"zh": "同类比较", "en": "Compare with"},
    "peers_none": {"zh": "不限", "en": "Any"},
    "peers_province": {"zh": "本省地区", "en": "My province"},
    "peers_level": {"zh": "同级地区", "en": "Same level"},
    "peers_peers": {"zh": "人口相近（±30%）", "en": "Similar population (±30%)"},
    "notice_group_needs_home": {
        "zh": "“同类比较”（{value}）需要先选择本地区，已忽略。",
        "en": "“Compare with” ({value}) needs a home area: ignored.",
    },
    "picker_no_reports": {"zh": "（无报告）", "en": " (no reports)"},
    "filter_placeholder": {"zh": "筛选…", "en": "filter…"},
    "copy_link": {"zh": "复制链接", "en": "Copy link"},
    "copy_link_done": {"zh": "已复制", "en": "Copied"},
    "notice_group_alone": {
        "zh": "已按所选地区组显示，“{value}”已忽略（地区组与单个地区不能同时选择）。",
        "en": "Showing the chosen group: “{value}” ignored (a group and single areas cannot be mixed).",
    },
    "notice_unknown_param": {"zh": "未知参数 {param}，已忽略。", "en": "Unknown parameter {param}: ignored."},
    "reviewed_only": {"zh": "仅显示已审核的数值", "en": "Reviewed values only"},
    "cite_line": {"zh": "出处：{body}", "en": "Source: {body}"},
    "cite_title": {"zh": "《{title}》", "en": "“{title}”"},
    "cite_after_publisher": {"zh": "", "en": ", "},
    "cite_joiner": {"zh": "，", "en": ", "},
    "cite_copy": {"zh": "复制出处", "en": "Copy citation"},
    "cite_copied": {"zh": "已复制出处", "en": "Citation copied"},
    "col_publisher": {"zh": "发布机关", "en": "Publisher"},
    "col_url": {"zh": "原文地址", "en": "Original address"},
    # The review desk (dashboard/review/)
    "rv_title": {"zh": "审核台", "en": "Review desk"},
    "rv_nav": {"zh": "审核", "en": "Review"},
    "rv_off": {
        "zh": "审核功能未开启：尚未配置审核员。在服务器上运行以下命令添加审核员后即可登录：",
        "en": "The review desk is off: no reviewer is configured. Add one on the server with:",
    },
    "rv_sign_in": {"zh": "审核员登录", "en": "Reviewer sign-in"},
    "rv_sign_out": {"zh": "退出登录", "en": "Sign out"},
    "rv_sign_in_needed": {"zh": "审核需要先登录。", "en": "Reviewing needs a signed-in reviewer."},
    "rv_name": {"zh": "用户名", "en": "Name"},
    "rv_password": {"zh": "密码", "en": "Password"},
    "rv_login_refused": {"zh": "用户名或密码不正确。", "en": "Wrong name or password."},
    "rv_login_locked": {
        "zh": "登录失败次数过多，请15分钟后再试。",
        "en": "Too many failed sign-ins: try again in 15 minutes.",
    },
    "rv_upload": {"zh": "上传报告", "en": "Upload reports"},
    "rv_upload_hint": {
        "zh": "拖入或点击选择文件（txt、html、docx、pdf，或填好的指标模板 CSV/XLSX）；"
        "每个不超过 {mb} MB，一次最多 {n} 个。",
        "en": "Drop or choose files (txt, html, docx, pdf, or a filled-in indicator template CSV/XLSX); "
        "each at most {mb} MB, at most {n} at once.",
    },
    "rv_upload_stored": {"zh": "已保存", "en": "stored"},
    "rv_upload_known": {"zh": "已有相同文件", "en": "already there"},
    "rv_upload_refused": {"zh": "已拒收", "en": "refused"},
    "rv_why_too_big": {"zh": "文件过大", "en": "file too big"},
    "rv_why_empty": {"zh": "空文件", "en": "empty file"},
    "rv_why_type": {"zh": "不是可读的报告或模板", "en": "not a readable report or template"},
    "rv_why_too_many": {"zh": "一次上传的文件过多", "en": "too many files in one upload"},
    "rv_run": {"zh": "数据处理（ETL）", "en": "Processing (ETL)"},
    "rv_rebuild": {"zh": "重新生成数据库（应用审核结果）", "en": "Rebuild the database (apply decisions)"},
    "rv_run_started": {"zh": "已开始处理。", "en": "Processing started."},
    "rv_run_not_started": {
        "zh": "未开始新的处理（没有新文件，或已有处理在运行）。",
        "en": "No new run started (no new file, or a run is going on).",
    },
    "rv_run_running": {"zh": "正在处理……已用 {s} 秒", "en": "Processing… {s} s so far"},
    "rv_run_none": {"zh": "尚未运行过处理。", "en": "No run yet."},
    "rv_run_interrupted": {"zh": "上次处理被中断。", "en": "The last run was interrupted."},
    "rv_run_ok": {"zh": "{at} 处理完成，全部入库。", "en": "Finished at {at}: everything loaded."},
    "rv_run_quarantined": {
        "zh": "{at} 处理完成，部分文件未能入库（见下方输出）。",
        "en": "Finished at {at}: some files could not be loaded (see the output below).",
    },
    "rv_run_failed": {
        "zh": "{at} 处理失败（退出码 {code}），数据库保持不变。",
        "en": "Failed at {at} (exit status {code}); the database is unchanged.",
    },
    "rv_documents": {"zh": "文档", "en": "Documents"},
    "rv_col_document": {"zh": "文档", "en": "Document"},
    "rv_col_area": {"zh": "地区", "en": "Area"},
    "rv_col_year": {"zh": "年份", "en": "Year"},
    "rv_col_type": {"zh": "类型", "en": "Type"},
    "rv_col_facts": {"zh": "数值", "en": "Figures"},
    "rv_col_indicator": {"zh": "指标", "en": "Indicator"},
    "rv_col_dims": {"zh": "维度", "en": "Dims"},
    "rv_col_value": {"zh": "数值", "en": "Value"},
    "rv_col_unit": {"zh": "单位", "en": "Unit"},
    "rv_col_approx": {"zh": "约数", "en": "Approx."},
    "rv_col_rule": {"zh": "规则", "en": "Rule"},
    "rv_col_status": {"zh": "状态", "en": "Status"},
    "rv_col_actions": {"zh": "操作", "en": "Actions"},
    "rv_status_extracted": {"zh": "未审核", "en": "unreviewed"},
    "rv_status_accepted": {"zh": "已确认", "en": "accepted"},
    "rv_status_corrected": {"zh": "已更正", "en": "corrected"},
    "rv_status_rejected": {"zh": "已驳回", "en": "rejected"},
    "rv_status_manual": {"zh": "人工添加", "en": "added by hand"},
    "rv_accept": {"zh": "确认", "en": "Accept"},
    "rv_reject": {"zh": "驳回", "en": "Reject"},
    "rv_edit": {"zh": "修改", "en": "Edit"},
    "rv_history": {"zh": "历史", "en": "History"},
    "rv_save": {"zh": "保存", "en": "Save"},
    "rv_add": {"zh": "添加", "en": "Add"},
    "rv_back": {"zh": "← 返回审核台", "en": "← Back to the desk"},
    "rv_keys": {
        "zh": "键盘：j/k 上下移动，a 确认，r 驳回，e 修改。审核结果在重新生成数据库后生效。",
        "en": "Keys: j/k move between figures, a accept, r reject, e edit. "
        "Decisions apply at the next rebuild.",
    },
    "rv_edit_title": {"zh": "修改数值", "en": "Correct a figure"},
    "rv_add_title": {"zh": "添加遗漏的数值", "en": "Add a missed figure"},
    "rv_add_hint": {
        "zh": "在左侧原文中选中数字，点击“使用所选文字”，再填写指标。",
        "en": "Select the figure in the text, press “Use the selection”, then fill in the indicator.",
    },
    "rv_use_selection": {"zh": "使用所选文字", "en": "Use the selection"},
    "rv_no_selection": {"zh": "请先在原文中选中文字。", "en": "Select some of the document's text first."},
    "rv_doc_title": {"zh": "更正文档的地区、年份、类型", "en": "Correct the document's area, year, type"},
    "rv_area_code": {"zh": "地区代码", "en": "Area code"},
    "rv_note": {"zh": "备注", "en": "Note"},
    "rv_bad_value": {"zh": "数值不是有效数字。", "en": "The value is not a number."},
    "rv_bad_indicator": {"zh": "未知指标。", "en": "Unknown indicator."},
    "rv_bad_rate": {"zh": "比率不能超过100。", "en": "A rate cannot be over 100."},
    "rv_bad_year": {"zh": "年份无效。", "en": "Not a valid year."},
    "rv_bad_area": {"zh": "未知地区代码。", "en": "Unknown area code."},
    "rv_bad_dims": {"zh": "未知的维度取值。", "en": "Unknown dim value."},
    "rv_bad_type": {"zh": "未知文档类型。", "en": "Unknown document type."},
    "rv_nothing_changed": {"zh": "没有改动。", "en": "Nothing changed."},
    "rv_fact_gone": {
        "zh": "该数值已不在数据库中（数据库已重新生成），请刷新页面。",
        "en": "That figure is no longer in the database (it was rebuilt): reload the page.",
    },
    "rv_done_accept": {"zh": "已确认：{indicator} {value}", "en": "Accepted: {indicator} {value}"},
    "rv_done_reject": {"zh": "已驳回：{indicator} {value}", "en": "Rejected: {indicator} {value}"},
    "rv_done_add": {"zh": "已添加：{indicator} {value}", "en": "Added: {indicator} {value}"},
    "rv_done_document": {"zh": "已更正文档信息。", "en": "Document corrected."},
    "rv_history_title": {"zh": "修改历史", "en": "History"},
    "rv_no_history": {"zh": "暂无修改记录。", "en": "No changes recorded."},
    "rv_action_accept": {"zh": "确认", "en": "accepted"},
    "rv_action_reject": {"zh": "驳回", "en": "rejected"},
    "rv_action_correct": {"zh": "更正", "en": "corrected"},
    "rv_action_add": {"zh": "添加", "en": "added"},
    "rv_action_document": {"zh": "更正文档", "en": "corrected the document"},
    "rv_why_template": {
        "zh": "模板中没有可导入的行（见下方各行说明）",
        "en": "no row of the template can be loaded (see each row below)",
    },
    "rv_template_hint": {
        "zh": "也可上传填好的指标模板（CSV 或 XLSX，每行一个数值，逐行校验）：",
        "en": "Or upload a filled-in indicator template (CSV or XLSX, one figure a row, checked row by row):",
    },
    "rv_template_link": {"zh": "下载模板", "en": "download the template"},
    "rv_recent": {"zh": "最近的审核记录", "en": "Latest changes"},
    "caption_not_per_capita": {
        "zh": "未按每万人折算：此指标不随人口规模增长，显示原值",
        "en": "Not divided by population: this indicator does not grow with it; plain values shown",
    },
    # The change view (dashboard/change_view/)
    "view_change": {"zh": "较上年变化", "en": "Change"},
    "change_view_title": {"zh": "与上年相比的变化", "en": "Change vs the previous year"},
    "change_view_hint": {
        "zh": "各地区最新年份（所选年份内）与上一年相比的变化。绿色为改善，红色为变差，"
        "灰色为持平或无优劣之分的指标；比率的变化以百分点计。点击条形查看最新数值的出处。",
        "en": "Each area's change from the year before to its latest year (within the years chosen). "
        "Green is an improvement, red a worsening, grey no change or an indicator with no better "
        "direction; a rate changes in percentage points. Click a bar for the source of the latest value.",
    },
    "change_pp_unit": {"zh": "个百分点", "en": "pp"},
    "change_line": {"zh": "变化：{change}", "en": "Change: {change}"},
    "change_improved": {"zh": "改善", "en": "Improved"},
    "change_worsened": {"zh": "变差", "en": "Worsened"},
    "change_neutral": {"zh": "持平或无优劣之分", "en": "No change, or no better direction"},
    "change_no_previous": {"zh": "无上年数据：{names}", "en": "No previous year: {names}"},
    "change_not_comparable": {
        "zh": "未比较（非全年、累计或无人口数据）：{names}",
        "en": "Not compared (part-year, cumulative or no population figure): {names}",
    },
    "change_none": {
        "zh": "所选地区没有连续两年的数据，无法计算变化",
        "en": "No selected area has values for two consecutive years",
    },
    # peer context of a chart (dashboard/peer_context.py): the home area's rank, median lines, footnotes
    "caption_rank": {
        "zh": "{home}排名：第{rank}/{n}（{among}）",
        "en": "{home}: rank {rank} of {n} ({among})",
    },
    "caption_rank_year": {
        "zh": "{home}{year}年排名：第{rank}/{n}（{among}）",
        "en": "{home} in {year}: rank {rank} of {n} ({among})",
    },
    "rank_among": {"zh": "同级地区中", "en": "among areas of its level"},
    "rank_among_breakdowns": {
        "zh": "同级地区中，按各地最大分项",
        "en": "among areas of its level, by each area's largest breakdown",
    },
    "median_line": {"zh": "中位数 {value}", "en": "median {value}"},
    "median_line_province": {"zh": "{province}中位数 {value}", "en": "{province} median {value}"},
    "footnote": {"zh": "{mark} {note}：{names}", "en": "{mark} {note}: {names}"},
    "note_period": {"zh": "{note}（{kind}）", "en": "{note} ({kind})"},
    "note_doc_type": {
        "zh": "口径：来自{doc}，非全局合计",
        "en": "narrower measure: from a document of type '{doc}', not a bureau-wide total",
    },
    "note_scope": {"zh": "口径：范围较窄（{scope}）", "en": "narrower scope ({scope})"},
    "col_note": {"zh": "口径说明", "en": "Measured as"},
    "scope_campaign": {"zh": "专项行动", "en": "one campaign"},
    "scope_season": {"zh": "某一时段", "en": "one season"},
    "scope_event": {"zh": "某一事件", "en": "one event"},
    "scope_subunit": {"zh": "下属单位", "en": "a sub-unit"},
    "scope_kind": {"zh": "某一类别", "en": "one kind"},
    "scope_added": {"zh": "新增部分", "en": "the part added"},
    "scope_other_area": {"zh": "其他地区", "en": "another area"},
    "scope_part": {"zh": "部分", "en": "a part"},
    "scope_repeat": {"zh": "重复提及", "en": "a repeated mention"},
    # a value's review status where reviewers are at work (dashboard/review/marks.py)
    "col_status": {"zh": "审核状态", "en": "Review status"},
    "rv_mark_label": {"zh": "审核状态：", "en": "Review status: "},
    "rv_mark_detail": {"zh": "{status}（{detail}）", "en": "{status} ({detail})"},
    "rv_mark_was": {"zh": "原值 {before} → {after}", "en": "was {before}, now {after}"},
    "rv_mark_sep": {"zh": "，", "en": ", "},
    # the missing-database page, where reviewers can build the first database by upload
    "rv_first_upload": {
        "zh": "审核员可以登录后在审核台上传报告，生成第一个数据库：",
        "en": "A reviewer can sign in and upload reports on the review desk to build the first database:",
    },
    "rv_no_database": {
        "zh": "还没有数据库：上传报告后，处理完成即生成。",
        "en": "No database yet: upload reports, and the run that follows builds it.",
    },
    # the review view's figures: their scope, the dims' names, a correction in words (dashboard/review/)
    "rv_col_scope": {"zh": "范围", "en": "Scope"},
    "rv_scope_area": {"zh": "本地区", "en": "the area"},
    "rv_scope_sector": {"zh": "某一行业", "en": "one sector"},
    "rv_scope_hint": {
        "zh": "灰色斜体的数值范围较窄（新增部分、其中一类、某一事件等），不计入本地区的指标，仅作记录。",
        "en": "Figures in grey italics have a narrower scope (the part added, one kind, one event...): "
        "a record, not the area's value.",
    },
    "rv_dim_level": {"zh": "层级", "en": "Level"},
    "rv_dim_field": {"zh": "领域", "en": "Field"},
    "rv_dim_kind": {"zh": "类别", "en": "Kind"},
    "rv_dim_role": {"zh": "身份", "en": "Role"},
    "rv_done_fields": {"zh": "已更正：{indicator}，{changes}", "en": "Corrected: {indicator}, {changes}"},
    "missing_mark": {"zh": "未报告", "en": "not<br>reported"},  # in a bar chart's gap (figures.missing_marks)
    # a link's year range cut to the years loaded (dashboard/state.py within_years)
    "notice_year_clamped": {
        "zh": "数据库中只有 {loaded} 年的数据：链接中的年份 {value} 已改为 {shown}。",
        "en": "The database holds {loaded} only: the link's years {value} are shown as {shown}.",
    },
    "notice_year_not_loaded": {
        "zh": "数据库中没有 {value} 年的数据（现有 {loaded} 年），已显示各地区最新年份。",
        "en": "No figures for {value} in the database (it holds {loaded}): showing each area's latest year.",
    },
}

# Dash 4's dropdowns say "2 selected", "Select All"... in English unless told otherwise
DROPDOWN_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "select_all": "全选",
        "deselect_all": "全部取消",
        "selected_count": "已选 {num_selected} 项",
        "search": "搜索",
        "clear_search": "清除搜索",
        "clear_selection": "清除选择",
        "no_options_found": "没有匹配的选项",
    },
    "en": {
        "select_all": "Select all",
        "deselect_all": "Deselect all",
        "selected_count": "{num_selected} selected",
        "search": "Search",
        "clear_search": "Clear search",
        "clear_selection": "Clear selection",
        "no_options_found": "No options found",
    },
}

DOC_TYPES: dict[str, dict[str, str]] = {
    "work_summary": {"zh": "工作总结", "en": "Work summary"},
    "rule_of_law_report": {"zh": "法治政府建设报告", "en": "Rule-of-law report"},
    "suggestion_reply": {"zh": "建议提案答复", "en": "Reply to a suggestion"},
    "suggestion_summary": {"zh": "建议提案办理情况", "en": "Suggestion handling summary"},
    "npc_report": {"zh": "向人大常委会的报告", "en": "Report to the People's Congress"},
    "other": {"zh": "其他", "en": "Other"},
    "import": {"zh": "结构化导入", "en": "Structured import"},  # a template of figures (review/template.py)
}

APPROX_WORDS: dict[str, dict[str, str]] = {
    "more_than": {"zh": "多于", "en": "more than"},
    "about": {"zh": "约", "en": "about"},
    "nearly": {"zh": "近", "en": "nearly"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang` (zh when the language is unknown), with `values` filled in."""
    entry = UI_STRINGS[key]
    return entry.get(lang, entry[DEFAULT_LANG]).format(**values)


def doc_type_name(doc_type: str | None, lang: str) -> str:
    """A document type's display name; unknown types are shown as stored."""
    if not doc_type:
        return ""
    return DOC_TYPES.get(doc_type, {}).get(lang, doc_type)
