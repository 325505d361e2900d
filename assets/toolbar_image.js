/* The chart toolbar's "download as PNG" framed as the export menu frames a chart: the server puts the
   layout changes (export title, sources footer, margins: dashboard/toolbar_image.py) in the graph's
   config.toImageButtonOptions.frame; the toolbar button calls plotly's "downloadImage" API method, which
   is replaced here by one that draws a framed copy of the chart. The page's chart is left as it is, and
   nothing goes to the server. Plotly is loaded after this file, so the method is replaced when
   window.Plotly is set. */
(function () {
  "use strict";

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /* `base` with `changes` written over it, nested objects merged, as plotly's relayout would. */
  function merged(base, changes) {
    var out = Object.assign({}, base);
    Object.keys(changes).forEach(function (key) {
      out[key] = isPlainObject(changes[key]) && isPlainObject(base[key])
        ? merged(base[key], changes[key])
        : changes[key];
    });
    return out;
  }

  /* A copy of the chart's figure with the frame applied; the frame's annotations join the chart's. */
  function framedFigure(gd, frame) {
    var changes = Object.assign({}, frame);
    delete changes.annotations;
    var layout = merged(JSON.parse(JSON.stringify(gd.layout)), changes);
    layout.annotations = (layout.annotations || []).concat(frame.annotations || []);
    var data = gd.data.map(function (trace) {
      return Object.assign({}, trace); // plotly adds keys to the traces it draws: not to the page's
    });
    return {data: data, layout: layout};
  }

  function install(plotly) {
    if (!plotly || !plotly.register || !plotly.downloadImage || install.done) {
      return;
    }
    install.done = true;
    plotly.register({
      moduleType: "apiMethod",
      name: "downloadImage",
      fn: function (gd, opts) {
        var options = (gd && gd._context && gd._context.toImageButtonOptions) || {};
        var frame = options.frame;
        var figure = frame && gd.data ? framedFigure(gd, frame) : gd;
        return window.Plotly.downloadImage(figure, opts);
      }
    });
  }

  if (window.Plotly) {
    install(window.Plotly);
    return;
  }
  var loaded;
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    enumerable: true,
    get: function () {
      return loaded;
    },
    set: function (value) {
      loaded = value;
      install(value);
    }
  });
})();
