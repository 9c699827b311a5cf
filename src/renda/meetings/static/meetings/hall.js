// The hall's live count (meetings.views_hall): server-sent events, else polling live.json
// every 2 s. The console reloads when an item's vote state changes (its buttons change); the
// screen is updated in place. Counts and result texts only: the status never carries a choice.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var role = root.getAttribute("data-live-role");
  var jsonUrl = root.getAttribute("data-live-json");
  var eventsUrl = root.getAttribute("data-live-events");
  var polling = null;

  function text(sel, value) {
    var el = root.querySelector(sel);
    if (el && el.textContent !== value) el.textContent = value;
  }

  function stateLabel(state) {
    return state === "open" ? "表决中" : state === "closed" ? "表决已结束" : "";
  }

  function showScreen(status) {
    var item = status.current;
    var v = item && item.current;
    text("[data-testid=screen-title]", item ? item.title : "暂无表决事项");
    text("[data-testid=screen-state]", v ? stateLabel(v.state) : "");
    text("[data-testid=screen-count]", v ? v.cast + " / " + v.eligible : "");
    text(".hall-count-label", v ? "已投票 / 应投票" : "");
    text("[data-testid=screen-result]", v && v.result ? v.result : "");
  }

  function showConsole(status) {
    status.items.forEach(function (item) {
      var row = root.querySelector('[data-item="' + item.id + '"]');
      if (!row) return;
      if (row.getAttribute("data-state") !== item.state) {
        window.location.reload();
        return;
      }
      var count = row.querySelector("[data-field=count]");
      if (count && item.current) {
        var t = "已投票" + item.current.cast + "人 / 应投票" + item.current.eligible + "人";
        if (count.textContent !== t) count.textContent = t;
      }
    });
  }

  function show(status) {
    if (role === "screen") showScreen(status);
    else showConsole(status);
  }

  function poll() {
    fetch(jsonUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s) show(s); })
      .catch(function () {});
  }

  function startPolling() {
    if (polling) return;
    poll();
    polling = window.setInterval(poll, 2000);
  }

  if (!window.EventSource) {
    startPolling();
    return;
  }
  var source = new EventSource(eventsUrl);
  var errors = 0;
  source.addEventListener("status", function (e) {
    errors = 0;
    show(JSON.parse(e.data));
  });
  source.onerror = function () {
    // the stream ends every ~25 s and reconnects by itself; repeated failures: poll instead
    errors += 1;
    if (errors > 2 || source.readyState === EventSource.CLOSED) {
      source.close();
      startPolling();
    }
  };
})();
