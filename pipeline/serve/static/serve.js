// factcheck serve: select findings, decide on them, undo, and keyboard shortcuts.
//
// Decisions are POSTed as JSON to /api/findings/{id}/decision with the page's CSRF token.
// Text from the page or the server is only ever set with textContent (never innerHTML).
(function () {
  "use strict";

  var EDITOR_KEY = "factcheck.editor";
  var STATUS_KEYS = { c: "confirmed", d: "disputed", x: "dismissed", o: "open" };
  var csrfTag = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfTag ? csrfTag.getAttribute("content") : "";
  var editor = document.getElementById("editor");
  var toastBox = document.getElementById("toast");
  var toastText = document.getElementById("toast-text");
  var undoButton = document.getElementById("undo");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".finding[data-finding]"));
  var current = -1;
  var undoStack = [];
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // 1. The editor's name, remembered in this browser.
  if (editor) {
    try { editor.value = window.localStorage.getItem(EDITOR_KEY) || ""; } catch (e) { /* none */ }
    editor.addEventListener("input", function () {
      try { window.localStorage.setItem(EDITOR_KEY, editor.value.trim()); } catch (e) { /* none */ }
    });
  }

  var toast = function (message, canUndo) {
    if (!toastBox) { return; }
    toastText.textContent = message;
    undoButton.hidden = !canUndo;
    toastBox.hidden = false;
  };

  // 2. Selection: one finding at a time, with its claims marked in the text.
  var marksOf = function (id) {
    return document.querySelectorAll('.claim[data-findings~="' + CSS.escape(id) + '"]');
  };
  var select = function (index, scroll) {
    if (!cards.length) { return; }
    index = Math.max(0, Math.min(cards.length - 1, index));
    if (current >= 0) {
      cards[current].classList.remove("selected");
      cards[current].removeAttribute("aria-current");
    }
    each(document.querySelectorAll(".claim.active"), function (mark) {
      mark.classList.remove("active");
    });
    current = index;
    var card = cards[index];
    card.classList.add("selected");
    card.setAttribute("aria-current", "true");
    var marks = marksOf(card.getAttribute("data-finding"));
    each(marks, function (mark) { mark.classList.add("active"); });
    if (scroll) {
      card.focus({ preventScroll: true });
      card.scrollIntoView({ block: "nearest" });
      if (marks.length) { marks[0].scrollIntoView({ block: "nearest" }); }
    }
  };
  var selectId = function (id, scroll) {
    for (var i = 0; i < cards.length; i += 1) {
      if (cards[i].getAttribute("data-finding") === id) { select(i, scroll); return true; }
    }
    return false;
  };

  // 3. Decisions, shown on the card when the store has recorded them.
  var when = function (stamp) {  // as the pages show it: "2024-03-01 09:30 UTC"
    return stamp.length >= 16 && stamp[10] === "T" ?
      stamp.slice(0, 10) + " " + stamp.slice(11, 16) + " UTC" : stamp;
  };
  var show = function (card, decision) {
    card.setAttribute("data-status", decision.status);
    var badge = card.querySelector('[data-role="status"]');
    badge.textContent = decision.status;
    badge.className = "flag flag-" + decision.status;
    var note = card.querySelector(".note");
    if (note) { note.value = decision.note; }
    var list = card.querySelector('[data-role="history"]');
    if (list) {
      var item = document.createElement("li");
      var flag = document.createElement("span");
      flag.className = "flag flag-" + decision.status;
      flag.textContent = decision.status;
      item.appendChild(flag);
      item.appendChild(document.createTextNode(" " + (decision.by || "someone") + ", " + when(decision.at)));
      if (decision.note) {
        item.appendChild(document.createTextNode(": "));
        var quote = document.createElement("q");
        quote.textContent = decision.note;
        item.appendChild(quote);
      }
      list.appendChild(item);
      var count = card.querySelector('[data-role="count"]');
      if (count) { count.textContent = String(list.children.length); }
    }
  };

  var post = function (card, status, note) {
    var id = card.getAttribute("data-finding");
    card.classList.add("busy");
    return window.fetch("/api/findings/" + encodeURIComponent(id) + "/decision", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ status: status, note: note, by: editor ? editor.value.trim() : "" })
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || "HTTP " + response.status); }
        return data;
      });
    }).then(function (data) {
      show(card, data.decision);
      return data;
    }).finally(function () {
      card.classList.remove("busy");
    });
  };

  var decide = function (card, status) {
    var note = card.querySelector(".note");
    return post(card, status, note ? note.value : "").then(function (data) {
      undoStack.push({ card: card, previous: data.previous });
      toast((status === "open" ? "Reopened" : "Marked " + status) + ".", true);
    }).catch(function (error) {
      toast("Not saved: " + error.message, false);
    });
  };

  var undo = function () {
    var last = undoStack.pop();
    if (!last) { toast("Nothing to undo.", false); return; }
    var previous = last.previous || { status: "open", note: "" };
    post(last.card, previous.status, previous.note).then(function () {
      toast("Undone: back to " + previous.status + ".", undoStack.length > 0);
      selectId(last.card.getAttribute("data-finding"), true);
    }).catch(function (error) {
      undoStack.push(last);
      toast("Not undone: " + error.message, true);
    });
  };

  // 4. Mouse: a card selects itself; its buttons decide; a claim in the text selects its card.
  each(cards, function (card, index) {
    card.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-decide]");
      select(index, false);
      if (button) { decide(card, button.getAttribute("data-decide")); }
    });
  });
  each(document.querySelectorAll(".article-text .claim[data-findings]"), function (mark) {
    mark.addEventListener("click", function (event) {
      var ids = mark.getAttribute("data-findings").split(" ");
      if (selectId(ids[0], true)) { event.preventDefault(); }
    });
  });
  if (undoButton) { undoButton.addEventListener("click", undo); }

  // 5. Keys: j/k move, c/d/x/o decide, u undoes, / searches; not while typing.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    var key = event.key;
    if (key === "j" || key === "k") {
      select(current < 0 ? 0 : current + (key === "j" ? 1 : -1), true);
    } else if (Object.prototype.hasOwnProperty.call(STATUS_KEYS, key)) {
      if (current < 0) { toast("Select a finding first (j).", false); return; }
      decide(cards[current], STATUS_KEYS[key]);
      if (current < cards.length - 1) { select(current + 1, true); }  // on to the next
    } else if (key === "u") {
      undo();
    } else if (key === "/") {
      var search = document.getElementById("search");
      if (!search) { return; }
      search.focus();
      search.select();
    } else {
      return;
    }
    event.preventDefault();
  });

  // 6. A link to a finding (#f-ID) selects it.
  if (window.location.hash.indexOf("#f-") === 0) {
    selectId(decodeURIComponent(window.location.hash.slice(3)), true);
  }
})();
