/* 数据看板: draws the charts from the dashboard's JSON (data-src); the same numbers are in the
   page's tables, which stay open when the charts cannot be drawn. The meeting-room display
   (大屏) is a mode of the same page: ?screen=1, or the 大屏模式 button, which also asks the
   browser for full screen. Written in ES5 for older browsers; ECharts is served locally. */
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  var status = root.querySelector(".dash-status");
  if (!window.echarts) { showStatus("图表组件未能加载，下方数据表中的数字仍然有效。"); return; }

  var FONT = window.getComputedStyle(document.body).fontFamily || "sans-serif";
  var PALETTE = ["#a4161a", "#1456a0", "#c27c0e", "#1a7f37", "#6f42c1", "#0e7c86", "#c2410c", "#59616b",
                 "#be185d", "#4d7c0f", "#0369a1", "#92400e"];
  var SCREEN_PALETTE = ["#ffd666", "#5cc8ff", "#ff8a80", "#7ee081", "#d0a8ff", "#ffad5c", "#8be9e0", "#f4f4f4"];
  var THIS_YEAR = "#a4161a", LAST_YEAR = "#a3acb8";
  var REFRESH_MS = 5 * 60 * 1000;
  var charts = {};
  var data = null;
  var timer = null;

  function showStatus(text) {
    if (status) { status.textContent = text; status.hidden = false; }
  }

  function isScreen() { return root.classList.contains("is-screen"); }

  function big() { return Math.max(16, Math.round(window.innerHeight / 42)); }

  function chartIn(id, el) {
    if (charts[id]) { charts[id].dispose(); }
    charts[id] = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    return charts[id];
  }

  function disposeAll() {
    for (var id in charts) { if (charts.hasOwnProperty(id)) { charts[id].dispose(); } }
    charts = {};
  }

  function text(color, size) { return { color: color, fontSize: size, fontFamily: FONT }; }

  function pick(list, key) { return list.map(function (x) { return x[key]; }); }

  function nulls(values) { return values.map(function (v) { return v === null ? "-" : v; }); }

  // ------------------------------------------------------------ normal mode

  function monthlyOption(d) {
    var m = d.monthly, selected = {};
    m.series.forEach(function (s) { selected[s.label] = m.chosen.indexOf(s.id) >= 0; });
    var wide = root.clientWidth >= 760;
    return {
      color: PALETTE,
      textStyle: text("#1f2328", 13),
      tooltip: { trigger: "axis", renderMode: "richText", textStyle: text("#1f2328", 13) },
      legend: wide
        ? { type: "scroll", orient: "vertical", right: 0, top: 8, bottom: 8, selected: selected, textStyle: text("#1f2328", 13) }
        : { type: "scroll", top: 0, left: 0, right: 0, selected: selected, textStyle: text("#1f2328", 13) },
      grid: { left: 8, right: wide ? 190 : 12, top: wide ? 16 : 44, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: m.months, axisLabel: text("#59616b", 12), axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", minInterval: 1, axisLabel: text("#59616b", 12), splitLine: { lineStyle: { color: "#e5e7eb" } } },
      series: m.series.map(function (s) {
        return { id: s.id, name: s.label, type: "line", data: s.values, symbolSize: 6, lineStyle: { width: 2 } };
      })
    };
  }

  function drawCompare(d) {
    var box = document.getElementById("chart-compare");
    if (!box) { return; }
    box.innerHTML = "";
    var byId = {};
    d.totals.forEach(function (t) { byId[t.id] = t; });
    // every box first, then the charts: each one sized to its final place in the grid
    var parts = d.compare.map(function (group) {
      var rows = group.ids.map(function (id) { return byId[id]; });
      var wrap = document.createElement("div");
      var title = document.createElement("h3");
      title.textContent = "单位：" + group.unit;
      var el = document.createElement("div");
      var empty = rows.every(function (r) { return r.value === null && r.previous === null; });
      if (empty) {  // ratios over zero in both years: nothing to draw
        el.className = "empty";
        el.textContent = "两年均暂无数字（" + pick(rows, "label").join("、") + "）。";
      } else {
        el.style.height = (64 + rows.length * 52) + "px";
      }
      wrap.appendChild(title);
      wrap.appendChild(el);
      box.appendChild(wrap);
      return { rows: rows, el: el, empty: empty };
    });
    parts.forEach(function (part, n) {
      var rows = part.rows;
      if (part.empty) { return; }
      chartIn("compare-" + n, part.el).setOption({
        textStyle: text("#1f2328", 13),
        tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, textStyle: text("#1f2328", 13) },
        legend: { top: 0, right: 0, data: [d.scope.label, d.previous_label], textStyle: text("#1f2328", 13) },
        grid: { left: 4, right: 48, top: 32, bottom: 4, containLabel: true },
        xAxis: { type: "value", minInterval: 1, axisLabel: text("#59616b", 12), splitLine: { lineStyle: { color: "#e5e7eb" } } },
        yAxis: { type: "category", inverse: true, data: pick(rows, "label"), axisLabel: text("#1f2328", 13) },
        series: [
          { name: d.scope.label, type: "bar", data: nulls(pick(rows, "value")), itemStyle: { color: THIS_YEAR },
            label: { show: true, position: "right", fontFamily: FONT, fontSize: 12 }, barMaxWidth: 18 },
          { name: d.previous_label, type: "bar", data: nulls(pick(rows, "previous")), itemStyle: { color: LAST_YEAR },
            label: { show: true, position: "right", fontFamily: FONT, fontSize: 12, color: "#59616b" }, barMaxWidth: 18 }
        ]
      });
    });
  }

  function drawTree(d) {
    var el = document.getElementById("chart-tree");
    var select = document.getElementById("tree-metric");
    if (!el || !select) { return; }
    var tools = root.querySelector("[data-tree-tools]");
    if (tools) { tools.hidden = false; }
    var row = d.tree.rows.filter(function (r) { return r.id === select.value; })[0] || d.tree.rows[0];
    if (!row) { return; }
    el.style.height = Math.max(200, 56 + d.tree.columns.length * 40) + "px";
    chartIn("tree", el).setOption({
      textStyle: text("#1f2328", 13),
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, textStyle: text("#1f2328", 13) },
      grid: { left: 4, right: 56, top: 28, bottom: 4, containLabel: true },
      title: { text: row.label + "（" + row.unit + "），合计 " + (row.total === null ? "暂无" : row.total),
               textStyle: text("#59616b", 13), left: 0, top: 0 },
      xAxis: { type: "value", minInterval: 1, axisLabel: text("#59616b", 12), splitLine: { lineStyle: { color: "#e5e7eb" } } },
      yAxis: { type: "category", inverse: true, data: pick(d.tree.columns, "label"), axisLabel: text("#1f2328", 13) },
      series: [{
        name: row.label, type: "bar", barMaxWidth: 22,
        data: row.values.map(function (v, i) {
          return { value: v === null ? "-" : v, itemStyle: { color: i === 0 ? THIS_YEAR : "#1456a0" } };
        }),
        label: { show: true, position: "right", fontFamily: FONT, fontSize: 12 }
      }]
    });
  }

  function drawBodies(d) {
    var el = document.getElementById("chart-bodies");
    if (!el || !d.bodies) { return; }
    el.style.height = Math.max(200, 64 + d.bodies.columns.length * 44) + "px";
    chartIn("bodies", el).setOption({
      color: PALETTE,
      textStyle: text("#1f2328", 13),
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, textStyle: text("#1f2328", 13) },
      legend: { top: 0, textStyle: text("#1f2328", 13) },
      grid: { left: 4, right: 40, top: 36, bottom: 4, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: text("#59616b", 12) },
      yAxis: { type: "category", inverse: true, data: pick(d.bodies.columns, "label"), axisLabel: text("#1f2328", 13) },
      series: d.bodies.rows.map(function (r) {
        return { name: r.label, type: "bar", data: r.values, label: { show: true, position: "right", fontSize: 12 } };
      })
    });
  }

  function drawNormal(d) {
    var monthly = document.getElementById("chart-monthly");
    if (monthly) {
      var chart = chartIn("monthly", monthly);
      chart.setOption(monthlyOption(d));
      chart.on("legendselectchanged", function (e) {
        var chosen = d.monthly.series.filter(function (s) { return e.selected[s.label]; });
        d.monthly.chosen = pick(chosen, "id");
        rememberChoice(d.monthly.chosen);
      });
    }
    drawCompare(d);
    drawTree(d);
    drawBodies(d);
    // the charts are drawn: their tables fold away (one click to open them again)
    Array.prototype.forEach.call(root.querySelectorAll(".dash-normal details.dash-table"), function (el) {
      el.open = false;
    });
  }

  // ------------------------------------------------------------ 大屏

  function screenOption(d) {
    var size = big(), m = d.monthly;
    var series = m.series.filter(function (s) { return m.chosen.indexOf(s.id) >= 0; });
    return {
      color: SCREEN_PALETTE,
      textStyle: text("#eef3fa", size),
      tooltip: { trigger: "axis", renderMode: "richText", textStyle: text("#1f2328", size) },
      legend: { top: 0, left: "center", itemWidth: size * 1.4, itemHeight: size * 0.7, itemGap: size * 1.5,
                textStyle: text("#eef3fa", size) },
      grid: { left: size, right: size * 1.5, top: size * 2.8, bottom: size * 0.4, containLabel: true },
      xAxis: { type: "category", data: m.months, axisLabel: text("#d6e0ee", size),
               axisLine: { lineStyle: { color: "rgba(255,255,255,.45)", width: 2 } }, axisTick: { show: false } },
      yAxis: { type: "value", minInterval: 1, axisLabel: text("#d6e0ee", size),
               splitLine: { lineStyle: { color: "rgba(255,255,255,.14)" } } },
      series: series.map(function (s) {
        return { id: s.id, name: s.label, type: "line", data: s.values, symbolSize: Math.round(size * 0.5),
                 lineStyle: { width: Math.max(3, Math.round(size / 6)) } };
      })
    };
  }

  function fillTiles(d) {
    var byId = {};
    d.screen.forEach(function (t) { byId[t.id] = t; });
    Array.prototype.forEach.call(root.querySelectorAll(".tile[data-metric]"), function (tile) {
      var t = byId[tile.getAttribute("data-metric")];
      if (!t) { return; }
      tile.querySelector(".tile-figure").textContent = t.figure;
      tile.querySelector(".tile-unit").textContent = t.figure_unit;
      tile.querySelector(".tile-before").textContent = d.previous_label + "：" + t.previous_text;
    });
    var stamp = root.querySelector("[data-generated]");
    if (stamp) { stamp.textContent = d.generated_label; }
  }

  function drawScreen(d) {
    fillTiles(d);
    var el = document.getElementById("chart-screen");
    if (el) { chartIn("screen", el).setOption(screenOption(d)); }
  }

  // ------------------------------------------------------------ modes, full screen, refresh

  function draw() {
    if (!data) { return; }
    disposeAll();
    if (isScreen()) { drawScreen(data); } else { drawNormal(data); }
  }

  function fullscreenElement() { return document.fullscreenElement || document.webkitFullscreenElement || null; }

  function requestFullscreen() {
    var el = document.documentElement;
    var request = el.requestFullscreen || el.webkitRequestFullscreen;
    if (!request) { return; }
    try {
      var result = request.call(el);
      if (result && result.catch) { result.catch(function () { /* refused: the dark display still shows */ }); }
    } catch (e) { /* not allowed here (e.g. inside a frame) */ }
  }

  function exitFullscreen() {
    var exit = document.exitFullscreen || document.webkitExitFullscreen;
    if (fullscreenElement() && exit) {
      var result = exit.call(document);
      if (result && result.catch) { result.catch(function () {}); }
    }
  }

  function fullscreenButton() {
    var button = root.querySelector("[data-fullscreen]");
    if (!button) { return; }
    var can = document.fullscreenEnabled || document.webkitFullscreenEnabled;
    button.hidden = !can || !!fullscreenElement();
  }

  function setMode(screen) {
    root.classList.toggle("is-screen", screen);
    document.body.classList.toggle("dash-screen-on", screen);
    var url = root.getAttribute(screen ? "data-screen-url" : "data-normal-url");
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", url); }
    fullscreenButton();
    draw();
    if (timer) { window.clearInterval(timer); timer = null; }
    if (screen) { timer = window.setInterval(load, REFRESH_MS); }
  }

  function rememberChoice(ids) {
    var query = root.getAttribute("data-query").replace(/&m=[^&]*/g, "");
    query += ids.map(function (id) { return "&m=" + encodeURIComponent(id); }).join("");
    root.setAttribute("data-query", query);
    root.setAttribute("data-normal-url", "?" + query);
    root.setAttribute("data-screen-url", "?" + query + "&screen=1");
    var enter = root.querySelector("[data-screen-enter]");
    if (enter) { enter.setAttribute("href", "?" + query + "&screen=1"); }
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "?" + query); }
  }

  function load() {
    var request = new XMLHttpRequest();
    request.open("GET", root.getAttribute("data-src"));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (e) { body = null; }
      if (request.status !== 200 || !body) {
        showStatus((body && body.detail) || "图表数据加载失败，请刷新页面；下方数据表中的数字仍然有效。");
        return;
      }
      if (data) { body.monthly.chosen = data.monthly.chosen; }  // keep the legend choice on refresh
      data = body;
      if (status) { status.hidden = true; }
      draw();
    };
    request.onerror = function () { showStatus("网络连接中断，图表暂未更新；页面中的数字仍然有效。"); };
    request.send();
  }

  root.addEventListener("click", function (e) {
    var target = e.target.closest ? e.target : null;
    if (!target) { return; }
    if (target.closest("[data-screen-enter]")) {
      e.preventDefault();
      requestFullscreen();  // within the click: browsers grant full screen only to a user gesture
      setMode(true);
    } else if (target.closest("[data-screen-exit]")) {
      exitFullscreen();
      if (!root.querySelector(".dash-normal")) { return; }  // opened as ?screen=1: the link loads the tables
      e.preventDefault();
      setMode(false);
    } else if (target.closest("[data-fullscreen]")) {
      requestFullscreen();
    }
  });

  var select = document.getElementById("tree-metric");
  if (select) { select.addEventListener("change", function () { if (data) { drawTree(data); } }); }

  function onFullscreenChange() { fullscreenButton(); resize(); }
  document.addEventListener("fullscreenchange", onFullscreenChange);
  document.addEventListener("webkitfullscreenchange", onFullscreenChange);

  var resizing = null;
  function resize() {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () {
      // font sizes follow the window on the display; elsewhere ECharts only needs the new size
      if (isScreen()) { draw(); return; }
      for (var id in charts) { if (charts.hasOwnProperty(id)) { charts[id].resize(); } }
    }, 150);
  }
  window.addEventListener("resize", resize);

  if (isScreen()) {
    document.body.classList.add("dash-screen-on");
    fullscreenButton();
    timer = window.setInterval(load, REFRESH_MS);
  }
  load();
})();
