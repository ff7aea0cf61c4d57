/* Typing in paper survey forms with the keyboard alone (progressive enhancement).
 *
 * Each question is a <fieldset class="paper-q"> with data-kind (choose, multiple, select,
 * number, text) and data-conditions (its skip logic, the same as the server's). Number keys
 * tick the numbered box and move to the next question shown; Backspace goes back; Enter moves
 * on (and on the save button, saves). Questions hidden by skip logic are disabled, so they are
 * not sent; the server applies the same logic and drops any answer to a hidden question.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-paper-entry]");
  if (!form) return;
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.paper-q"));
  var save = document.getElementById("paper-save");
  var current = -1;
  var typed = "", typedIn = null;

  function inputs(q) {
    return Array.prototype.slice.call(q.querySelectorAll("input, select, textarea"));
  }

  function answerOf(q) {
    var kind = q.dataset.kind, els = inputs(q);
    if (kind === "choose") {
      var checked = els.filter(function (el) { return el.checked; })[0];
      return checked ? checked.value : null;
    }
    if (kind === "multiple") {
      var values = els.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
      return values.length ? values : null;
    }
    var value = els.length ? els[0].value.trim() : "";
    return value === "" ? null : value;
  }

  function holds(cond, answers) {
    if (cond.op === "all") return cond.children.every(function (c) { return holds(c, answers); });
    if (cond.op === "any") return cond.children.some(function (c) { return holds(c, answers); });
    if (cond.op === "not") return !holds(cond.children[0], answers);
    var answer = answers[cond.question];
    if (cond.op === "answered") return (answer !== undefined) === cond.answered;
    if (answer === undefined) return false;
    if (Array.isArray(answer)) return answer.some(function (v) { return cond.values.indexOf(v) >= 0; });
    return cond.values.indexOf(answer) >= 0;
  }

  /* Show the questions the answers so far lead to; a hidden one counts as unanswered. */
  function update() {
    var answers = {};
    questions.forEach(function (q) {
      var conditions = JSON.parse(q.dataset.conditions || "[]");
      var shown = conditions.every(function (c) { return holds(c, answers); });
      q.hidden = !shown;
      inputs(q).forEach(function (el) { el.disabled = !shown; });
      if (shown) {
        var answer = answerOf(q);
        if (answer !== null) answers[q.dataset.q] = answer;
      }
    });
  }

  function focusQuestion(index) {
    questions.forEach(function (q) { q.classList.remove("active"); });
    current = index;
    var q = questions[index];
    q.classList.add("active");
    var els = inputs(q);
    var target = els.filter(function (el) { return el.checked; })[0] || els[0];
    if (target) target.focus();
    q.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    update();
    for (var i = current + step; i >= 0 && i < questions.length; i += step) {
      if (!questions[i].hidden) { focusQuestion(i); return; }
    }
    if (step > 0) {
      questions.forEach(function (q) { q.classList.remove("active"); });
      current = questions.length;
      save.focus();
    }
  }

  form.addEventListener("focusin", function (event) {
    var q = event.target.closest("fieldset.paper-q");
    if (q) {
      var index = questions.indexOf(q);
      if (index !== current) {
        questions.forEach(function (other) { other.classList.remove("active"); });
        q.classList.add("active");
        current = index;
      }
    } else if (event.target === save) {
      current = questions.length;
    }
  });

  form.addEventListener("change", update);

  form.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target === save) {
      if (event.key === "Backspace") { event.preventDefault(); move(-1); }
      return;
    }
    var q = target.closest("fieldset.paper-q");
    if (!q) return;
    var kind = q.dataset.kind;
    var typing = kind === "number" || kind === "text";
    if (event.key === "Enter" && !(kind === "text" && event.shiftKey)) {
      event.preventDefault();
      move(1);
    } else if (event.key === "Backspace" && (!typing || target.value === "")) {
      event.preventDefault();
      move(-1);
    } else if (/^[0-9]$/.test(event.key) && kind === "select") {
      /* Digits pick the numbered entry of a long list ("1", "2" then "12"); Enter moves on. */
      event.preventDefault();
      var list = inputs(q)[0];
      typed = (target === typedIn ? typed : "") + event.key;
      typedIn = target;
      if (Number(typed) >= list.options.length) typed = event.key;
      var pick = Number(typed);
      if (pick > 0 && pick < list.options.length) { list.selectedIndex = pick; update(); }
    } else if (/^[1-9]$/.test(event.key) && (kind === "choose" || kind === "multiple")) {
      event.preventDefault();
      var box = inputs(q)[Number(event.key) - 1];
      if (!box) return;
      if (kind === "choose") {
        box.checked = true;
        move(1);
      } else {
        box.checked = !box.checked;
        box.focus();
        update();
      }
    }
  });

  update();
  var invalid = form.querySelector(".field-error");
  var start = invalid ? questions.indexOf(invalid.closest("fieldset.paper-q")) : -1;
  if (start >= 0) { focusQuestion(start); } else { move(1); }
})();
