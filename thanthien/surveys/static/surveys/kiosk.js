/* The counter kiosk: one question at a time, and an offline queue.
 *
 * Every rating gets its own idempotency key and waits in localStorage until the server has
 * answered it; it is sent again on the `online` event and on a timer. The server keeps one
 * record per key, so a rating sent twice (an answer lost on the way back) is stored once.
 * The request carries the kiosk's device token in X-Kiosk-Token instead of Django's CSRF
 * token (see thanthien/surveys/public_views.py for why that is safe).
 * Without this script the page is a plain form and still works.
 */
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  var form = document.getElementById("kiosk-form");
  if (!root || !form) { return; }
  var QUEUE = "thanthien-kiosk-queue-" + root.dataset.counter;
  var RETRY_MS = 5000;
  var resetMs = (parseInt(root.dataset.resetSeconds, 10) || 30) * 1000;
  var thanks = document.getElementById("kiosk-thanks");
  var status = document.getElementById("kiosk-queue");
  var sending = false;
  var resetTimer = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(items) { localStorage.setItem(QUEUE, JSON.stringify(items)); showQueue(items); }
  function showQueue(items) {
    status.dataset.count = String(items.length);
    status.textContent = items.length
      ? status.dataset.waiting.replace("__N__", String(items.length))
      : "";
  }

  function show(step) {
    form.querySelectorAll("[data-step]").forEach(function (el) {
      el.classList.toggle("active", el.dataset.step === step);
    });
    form.querySelector(".submit-row").classList.toggle("active", step === "details");
  }
  function value(name) {
    var checked = form.querySelector("input[name='" + name + "']:checked");
    return checked ? parseInt(checked.value, 10) : null;
  }
  function isLow() {
    var s = value("service_score"), o = value("official_score");
    return (s !== null && s <= 2) || (o !== null && o <= 2);
  }

  function collect() {
    var conduct = {};
    ["xin", "luon", "khong"].forEach(function (g) {
      var c = form.querySelector("input[name='conduct_" + g + "']:checked");
      if (c) { conduct[g] = c.value; }
    });
    var reasons = Array.prototype.map.call(
      form.querySelectorAll("input[name='reasons']:checked"), function (el) { return el.value; });
    return {
      key: newKey(),
      service_score: value("service_score"),
      official_score: value("official_score"),
      reasons: reasons,
      conduct: conduct,
      at: new Date().toISOString()
    };
  }

  function flush() {
    if (sending) { return; }
    var items = load();
    if (!items.length) { return; }
    sending = true;
    var item = items[0];
    fetch(root.dataset.submitUrl, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", "X-Kiosk-Token": root.dataset.token },
      body: JSON.stringify(item)
    }).then(function (response) {
      sending = false;
      // Stored (201) or refused for good (400): off the queue. Otherwise keep it for later.
      if (response.status === 201 || response.status === 400) {
        save(load().filter(function (other) { return other.key !== item.key; }));
        flush();
      } else if (response.status === 403) {
        // The kiosk was signed out: show the "not ready" page. The rating stays queued and
        // is sent when an official signs the kiosk in again (without anyone's name).
        window.location.reload();
      }
    }).catch(function () { sending = false; });
  }

  function finish() {
    var items = load();
    items.push(collect());
    save(items);
    form.hidden = true;
    thanks.hidden = false;
    flush();
    resetTimer = setTimeout(reset, resetMs);
  }
  function reset() {
    clearTimeout(resetTimer);
    form.reset();
    form.hidden = false;
    thanks.hidden = true;
    show("service");
  }

  document.body.classList.add("js");
  show("service");
  form.addEventListener("change", function (event) {
    if (event.target.name === "service_score") { show("official"); }
    if (event.target.name === "official_score") {
      if (isLow()) { show("details"); } else { finish(); }
    }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); finish(); });
  document.getElementById("kiosk-again").addEventListener("click", function (event) {
    event.preventDefault();
    reset();
  });
  window.addEventListener("online", flush);
  setInterval(flush, RETRY_MS);
  showQueue(load());
  flush();
}());
