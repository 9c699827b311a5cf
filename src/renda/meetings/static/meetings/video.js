/* The video room of a sitting (meetings/video.html): join the sitting's Janus VideoRoom as
   a publisher with the pin and the token Renda handed the page, publish the camera and the
   microphone, subscribe to every other publisher and show their videos. When joined, tell
   Renda (POST …/video/joined) so that a member is recorded 视频参会. State is written into
   the page (text and data-* attributes) so that people, and the browser tests, can read it. */
(function () {
  "use strict";
  var root = document.getElementById("video-room");
  if (!root || typeof Janus === "undefined") return;
  var d = root.dataset;
  var room = parseInt(d.room, 10);
  var status = root.querySelector("[data-testid=video-status]");
  var grid = root.querySelector("[data-testid=video-grid]");
  var empty = root.querySelector("[data-testid=video-empty]");
  var janus = null, publisher = null, privateId = null;
  var feeds = {}; // publisher id -> {handle, tile, stream}

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("bad", !!bad);
  }

  // janus.js only asks the adapter which browser this is; modern browsers need no shims,
  // so a small detector stands in for webrtc-adapter (docs: video).
  function browserDetails() {
    var ua = navigator.userAgent, m;
    if ((m = ua.match(/Firefox\/(\d+)/))) return { browser: "firefox", version: +m[1] };
    if ((m = ua.match(/Chrom(e|ium)\/(\d+)/))) return { browser: "chrome", version: +m[2] };
    if ((m = ua.match(/Version\/(\d+).*Safari/))) return { browser: "safari", version: 605 };
    return { browser: "chrome", version: 0 };
  }

  function csrf() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function reportJoined() {
    fetch(d.joinedUrl, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var line = root.querySelector("[data-testid=video-attendance]");
        line.textContent = body.recorded ? "已登记视频参会（" + body.status + "）。" : "";
        root.dataset.recorded = body.recorded ? "yes" : "no";
      })
      .catch(function () { say("已加入视频会议，但登记视频参会失败，请告知工作人员。", true); });
  }

  // A video shows frames when it has a size and its clock advances: mark the tile then.
  function watchFrames(video, tile) {
    var last = -1;
    var timer = setInterval(function () {
      if (!document.body.contains(video)) return clearInterval(timer);
      var playing = video.videoWidth > 0 && video.currentTime > 0 && video.currentTime !== last;
      last = video.currentTime;
      tile.dataset.playing = playing ? "yes" : "no";
    }, 500);
  }

  function tile(label, testid) {
    var fig = document.createElement("figure");
    fig.className = "video-tile";
    fig.setAttribute("data-testid", testid);
    var video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    var cap = document.createElement("figcaption");
    cap.textContent = label;
    fig.appendChild(video);
    fig.appendChild(cap);
    grid.appendChild(fig);
    return fig;
  }

  function refreshEmpty() {
    empty.hidden = Object.keys(feeds).length > 0;
  }

  function play(video) {
    var p = video.play();
    if (p && p.catch) p.catch(function () { video.muted = true; video.play().catch(function () {}); });
  }

  function subscribe(pub) {
    if (feeds[pub.id]) return;
    var feed = { handle: null, tile: tile(pub.display || "与会人员", "remote-video"), stream: new MediaStream() };
    feeds[pub.id] = feed;
    refreshEmpty();
    var video = feed.tile.querySelector("video");
    watchFrames(video, feed.tile);
    janus.attach({
      plugin: "janus.plugin.videoroom",
      success: function (handle) {
        feed.handle = handle;
        handle.send({ message: { request: "join", ptype: "subscriber", room: room, pin: d.pin, feed: pub.id, private_id: privateId } });
      },
      error: function (e) { say("订阅其他与会人员画面失败：" + e, true); },
      onmessage: function (msg, jsep) {
        if (msg.error) say("订阅画面失败：" + msg.error, true);
        if (jsep) {
          feed.handle.createAnswer({
            jsep: jsep,
            tracks: [{ type: "data" }], // audio and video are accepted receive-only
            success: function (answer) { feed.handle.send({ message: { request: "start", room: room }, jsep: answer }); },
            error: function (e) { say("建立媒体连接失败：" + e, true); }
          });
        }
      },
      onremotetrack: function (track, mid, on) {
        if (on) {
          if (!feed.stream.getTracks().includes(track)) feed.stream.addTrack(track);
        } else {
          feed.stream.removeTrack(track);
        }
        if (video.srcObject !== feed.stream) video.srcObject = feed.stream;
        play(video);
      }
    });
  }

  function unsubscribe(id) {
    var feed = feeds[id];
    if (!feed) return;
    delete feeds[id];
    if (feed.handle) feed.handle.detach();
    feed.tile.remove();
    refreshEmpty();
  }

  function publish() {
    publisher.createOffer({
      tracks: [{ type: "audio", capture: true, recv: false }, { type: "video", capture: true, recv: false }],
      success: function (jsep) {
        publisher.send({ message: { request: "configure", audio: true, video: true }, jsep: jsep });
      },
      error: function (e) { say("无法使用摄像头或麦克风：" + (e && e.message ? e.message : e), true); }
    });
  }

  function onPublisherMessage(msg, jsep) {
    var event = msg.videoroom;
    if (event === "joined") {
      privateId = msg.private_id;
      say("已加入视频会议。");
      root.dataset.joined = "yes";
      reportJoined();
      publish();
    }
    if (msg.error) say("加入视频会议失败：" + msg.error, true);
    (msg.publishers || []).forEach(subscribe);
    if (msg.leaving) unsubscribe(msg.leaving);
    if (msg.unpublished && msg.unpublished !== "ok") unsubscribe(msg.unpublished);
    if (jsep) publisher.handleRemoteJsep({ jsep: jsep });
  }

  Janus.init({
    debug: false,
    dependencies: Janus.useDefaultDependencies({ adapter: { browserDetails: browserDetails() } }),
    callback: function () {
      if (!Janus.isWebrtcSupported()) return say("本浏览器不支持视频会议（WebRTC）。", true);
      janus = new Janus({
        server: d.server,
        success: function () {
          janus.attach({
            plugin: "janus.plugin.videoroom",
            success: function (handle) {
              publisher = handle;
              handle.send({ message: { request: "join", ptype: "publisher", room: room, pin: d.pin, token: d.token, display: d.display } });
            },
            error: function (e) { say("连接视频会议失败：" + e, true); },
            onmessage: onPublisherMessage,
            onlocaltrack: function (track, on) {
              var local = root.querySelector("[data-testid=local-video]");
              var stream = local.srcObject || new MediaStream();
              if (on) stream.addTrack(track); else stream.removeTrack(track);
              local.srcObject = stream;
              play(local);
            }
          });
        },
        error: function (e) { say("无法连接视频会议服务：" + e, true); }
      });
    }
  });
  window.addEventListener("beforeunload", function () { if (janus) janus.destroy({ unload: true }); });
})();
