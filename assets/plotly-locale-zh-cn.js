/* Plotly's chart toolbar and messages in Chinese (the dashboard's default language), served from this
   folder: nothing is fetched from a CDN. Plotly reads window.PlotlyLocales when it loads; graphs ask for
   it with config.locale = "zh-CN" (dashboard/figures.py graph_config). */
(function () {
  var locale = {
    moduleType: "locale",
    name: "zh-CN",
    dictionary: {
      "Autoscale": "自动缩放",
      "Box Select": "矩形框选",
      "Click to enter Colorscale title": "单击输入色阶标题",
      "Click to enter Component A title": "单击输入分量A标题",
      "Click to enter Component B title": "单击输入分量B标题",
      "Click to enter Component C title": "单击输入分量C标题",
      "Click to enter Plot title": "单击输入图表标题",
      "Click to enter X axis title": "单击输入X轴标题",
      "Click to enter Y axis title": "单击输入Y轴标题",
      "Click to enter radial axis title": "单击输入径向轴标题",
      "Compare data on hover": "悬停时比较数据",
      "Double-click on legend to isolate one trace": "双击图例来突显对应轨迹",
      "Double-click to zoom back out": "双击返回缩放",
      "Download plot": "下载图表",
      "Download plot as a png": "下载图表为PNG格式",
      "Download plot as a PNG": "下载图表为PNG格式",
      "Download plot as a SVG": "下载图表为SVG格式",
      "Download plot as an SVG": "下载图表为SVG格式",
      "Edit in Chart Studio": "在 Chart Studio 中编辑",
      "IE only supports svg.  Changing format to svg.": "IE只支持SVG。转换格式为SVG。",
      "Lasso Select": "套索选择",
      "Orbital rotation": "轨道旋转",
      "Pan": "平移",
      "Produced with Plotly.js": "由 Plotly.js 生成",
      "Reset": "重置",
      "Reset axes": "重置轴",
      "Reset camera to default": "重置镜头视角为默认状态",
      "Reset camera to last save": "重置镜头视角为上次保存状态",
      "Reset view": "重置视图",
      "Reset views": "重置视图",
      "Show closest data on hover": "悬停时显示最近的数据",
      "Snapshot succeeded": "生成快照成功",
      "Sorry, there was a problem downloading your snapshot!": "抱歉，下载快照出现问题！",
      "Taking snapshot - this may take a few seconds": "正在生成快照 - 可能需要几秒钟",
      "Toggle Spike Lines": "启用/禁用尖峰线",
      "Toggle show closest data on hover": "启用/禁用悬停时显示最近的数据",
      "Turntable rotation": "转台旋转",
      "Zoom": "缩放",
      "Zoom in": "放大",
      "Zoom out": "缩小",
      "close:": "关闭:",
      "concentration:": "浓度:",
      "high:": "最高:",
      "incoming flow count:": "流入数量:",
      "kde:": "kde:",
      "lat:": "纬度:",
      "lon:": "经度:",
      "low:": "最低:",
      "lower fence:": "下边界:",
      "max:": "最大值:",
      "mean ± σ:": "平均值 ± σ:",
      "mean:": "平均值:",
      "median:": "中位数:",
      "min:": "最小值:",
      "new text": "新建文本",
      "open:": "开盘:",
      "outgoing flow count:": "流出数量:",
      "q1:": "q1:",
      "q3:": "q3:",
      "source:": "来源:",
      "target:": "目标:",
      "trace": "轨迹",
      "upper fence:": "上边界:"
    },
    format: {
      days: ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
      shortDays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
      months: ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
      shortMonths: ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"],
      date: "%Y-%m-%d"
    }
  };
  if (typeof Plotly === "undefined") {
    window.PlotlyLocales = window.PlotlyLocales || [];
    window.PlotlyLocales.push(locale);
  } else {
    Plotly.register(locale);
  }
})();
