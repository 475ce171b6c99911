// The reception form, keyboard first (served from the binary at /assets/reception.js).
// Without this script the form still works: a <select> of the unit's procedures, buttons
// for another unit and another line, and the server fills the checklist.
(function () {
  "use strict";
  var form = document.getElementById("receive");
  var confirmForm = document.getElementById("confirm");

  // One click only: the button says the form is on its way.
  [form, confirmForm].forEach(function (f) {
    if (!f) return;
    f.addEventListener("submit", function (e) {
      var b = e.submitter;
      if (f.dataset.sent) { e.preventDefault(); return; }
      f.dataset.sent = "1";
      if (b && b.value !== "add_line" && b.value !== "unit") {
        setTimeout(function () { b.disabled = true; b.textContent = "Đang gửi…"; }, 0);
      }
    });
  });
  // Back to a page kept by the browser: it may be sent again.
  window.addEventListener("pageshow", function () {
    [form, confirmForm].forEach(function (f) {
      if (!f) return;
      delete f.dataset.sent;
      var b = f.querySelector("#submit");
      if (b && b.disabled) {
        b.disabled = false;
        b.textContent = b.value === "confirm" ? "Xác nhận tiếp nhận" : "Kiểm tra trước khi tiếp nhận";
      }
    });
  });
  if (!form) return;

  // Enter in a text field never sends the form: it moves to the next field.
  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || t.tagName !== "INPUT" || t.type === "submit" || t.type === "file") return;
    if (t.getAttribute("role") === "combobox") return;
    e.preventDefault();
    var all = Array.prototype.filter.call(form.elements, function (el) {
      return !el.disabled && el.type !== "hidden" && !el.hidden && el.offsetParent !== null;
    });
    var i = all.indexOf(t);
    if (i >= 0 && i + 1 < all.length) all[i + 1].focus();
  });

  Array.prototype.forEach.call(form.querySelectorAll(".nojs"), function (el) { el.hidden = true; });

  var unitInput = document.getElementById("unit");
  var select = document.getElementById("procedure");
  var data = {};

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  }

  function load(unit, then) {
    fetch("/desk/new/procedures?unit=" + encodeURIComponent(unit), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { procedures: [] }; })
      .then(function (j) {
        data = {};
        j.procedures.forEach(function (p) { data[p.code] = p; });
        if (then) then(j.procedures);
      })
      .catch(function () {});
  }

  // The type-ahead box over the select's options.
  var combo = document.createElement("div");
  combo.className = "combo";
  var input = document.createElement("input");
  input.id = "procedure-search";
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", "procedure-list");
  input.setAttribute("aria-describedby", "procedure-hint");
  input.autocomplete = "off";
  input.placeholder = "— chọn thủ tục —";
  if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
  var list = document.createElement("ul");
  list.id = "procedure-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  combo.appendChild(input);
  combo.appendChild(list);
  select.parentNode.insertBefore(combo, select);
  select.hidden = true;
  select.tabIndex = -1;
  var label = document.querySelector("label[for=procedure]");
  if (label) label.htmlFor = "procedure-search";
  var active = -1;
  var shown = [];

  function optionText(code) {
    var o = Array.prototype.find.call(select.options, function (o) { return o.value === code; });
    return o ? o.textContent : "";
  }
  input.value = select.value ? optionText(select.value) : "";

  function render() {
    var q = fold(input.value.trim());
    var words = q.split(/\s+/).filter(Boolean);
    shown = Array.prototype.filter.call(select.options, function (o) {
      if (!o.value) return false;
      var t = fold(o.textContent);
      return words.every(function (w) { return t.indexOf(w) >= 0; });
    }).slice(0, 60);
    list.innerHTML = "";
    if (shown.length === 0) {
      var li = document.createElement("li");
      li.className = "empty";
      li.textContent = "Không tìm thấy thủ tục nào";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      list.appendChild(li);
    }
    shown.forEach(function (o, i) {
      var li = document.createElement("li");
      li.id = "procedure-option-" + i;
      li.setAttribute("role", "option");
      var parts = o.textContent.split(" — ");
      li.textContent = parts[0];
      if (parts[1]) {
        var small = document.createElement("small");
        small.textContent = parts[1];
        li.appendChild(small);
      }
      li.addEventListener("mousedown", function (e) { e.preventDefault(); pick(o.value); });
      list.appendChild(li);
    });
    active = shown.length ? 0 : -1;
    mark();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function mark() {
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", "procedure-option-" + active);
      var li = list.children[active];
      if (li && li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function pick(code) {
    var changed = select.value !== code;
    select.value = code;
    input.value = optionText(code);
    close();
    if (changed) fillFrom(code);
    var next = document.getElementById("channel");
    if (next) next.focus();
  }

  input.addEventListener("input", render);
  input.addEventListener("focus", function () { input.select(); });
  input.addEventListener("blur", function () {
    close();
    input.value = select.value ? optionText(select.value) : input.value;
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) { render(); return; }
      if (!shown.length) return;
      active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      mark();
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (!list.hidden && active >= 0 && shown[active]) pick(shown[active].value);
    } else if (e.key === "Escape") {
      close();
    }
  });

  // The checklist from the procedure's own list, unless the clerk has typed one already.
  var rows = document.getElementById("component-rows");
  var linesField = document.getElementById("lines");
  function typedLines() {
    return Array.prototype.some.call(rows.querySelectorAll("input[name^=component_]"), function (i) {
      return i.value.trim() !== "" && !i.dataset.auto;
    }) || rows.querySelector("input[name^=scan_hash_]") !== null;
  }
  function row(i) {
    var tr = rows.rows[0].cloneNode(true);
    tr.querySelectorAll(".field-error, .kept, input[type=hidden]").forEach(function (el) { el.remove(); });
    tr.cells[0].textContent = String(i + 1);
    tr.querySelectorAll("input").forEach(function (el) {
      el.name = el.name.replace(/_\d+$/, "_" + i);
      el.id = el.id.replace(/_\d+$/, "_" + i);
      el.value = "";
      el.removeAttribute("aria-invalid");
      delete el.dataset.auto;
      var l = el.getAttribute("aria-label");
      if (l) el.setAttribute("aria-label", l.replace(/\d+$/, String(i + 1)));
    });
    var lab = tr.querySelector(".file label");
    if (lab) {
      lab.htmlFor = "scan_" + i;
      lab.firstChild.textContent = "Chọn bản quét";
      var sr = lab.querySelector(".sr");
      if (sr) sr.textContent = " của giấy tờ thứ " + (i + 1);
    }
    var chosen = tr.querySelector(".chosen");
    if (chosen) chosen.textContent = "";
    return tr;
  }
  function fillFrom(code) {
    var p = data[code];
    if (!p) return;
    var fee = document.getElementById("fee_vnd");
    if (fee && (fee.value.trim() === "" || fee.dataset.auto)) { fee.value = p.fee; fee.dataset.auto = "1"; }
    if (typedLines() || !p.components.length) return;
    while (rows.rows.length > 1) rows.deleteRow(1);
    var first = row(0);
    rows.replaceChild(first, rows.rows[0]);
    p.components.forEach(function (c, i) {
      var tr = i === 0 ? first : row(i);
      if (i > 0) rows.appendChild(tr);
      var ins = tr.querySelectorAll("input:not([type=file])");
      ins[0].value = c.name; ins[0].dataset.auto = "1";
      ins[1].value = String(c.originals);
      ins[2].value = String(c.copies);
    });
    linesField.value = String(rows.rows.length);
  }
  document.getElementById("fee_vnd").addEventListener("input", function (e) { delete e.target.dataset.auto; });
  rows.addEventListener("input", function (e) { delete e.target.dataset.auto; });
  rows.addEventListener("change", function (e) {
    var t = e.target;
    if (t.type !== "file") return;
    var chosen = t.parentNode.querySelector(".chosen");
    if (chosen) chosen.textContent = t.files.length ? t.files[0].name : "";
  });

  document.getElementById("add-line").addEventListener("click", function (e) {
    e.preventDefault();
    var i = rows.rows.length;
    if (i >= 30) return;
    var tr = row(i);
    rows.appendChild(tr);
    linesField.value = String(rows.rows.length);
    tr.querySelector("input").focus();
  });

  // Another receiving unit: its own procedures.
  if (unitInput && unitInput.tagName === "SELECT") {
    unitInput.addEventListener("change", function () {
      load(unitInput.value, function (procs) {
        var keep = select.value;
        while (select.options.length > 1) select.remove(1);
        procs.forEach(function (p) {
          var o = document.createElement("option");
          o.value = p.code;
          o.textContent = p.label;
          select.appendChild(o);
        });
        select.value = data[keep] ? keep : "";
        input.value = select.value ? optionText(select.value) : "";
      });
    });
  }

  // The online level only for an online dossier, never chosen in advance.
  var channel = document.getElementById("channel");
  var level = document.getElementById("level-field");
  channel.addEventListener("change", function () {
    var online = channel.value === "online";
    level.hidden = !online;
    if (!online) document.getElementById("online_level").value = "";
  });

  // The applicant from the latest dossier with the same ID number.
  var id = document.getElementById("applicant_id");
  var note = document.getElementById("prefill-note");
  id.addEventListener("change", function () {
    var v = id.value.trim();
    if (v.length < 6 || !unitInput) return;
    fetch("/desk/new/applicant?unit=" + encodeURIComponent(unitInput.value) + "&id=" + encodeURIComponent(v), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (a) {
        if (!a || !a.found) { note.textContent = ""; return; }
        var filled = 0;
        [["applicant_name", a.name], ["applicant_phone", a.phone], ["applicant_email", a.email], ["applicant_address", a.address]].forEach(function (f) {
          var el = document.getElementById(f[0]);
          if (el && el.value.trim() === "" && f[1]) { el.value = f[1]; filled++; }
        });
        note.textContent = filled ? "Đã điền theo hồ sơ " + a.code + "; kiểm tra lại với người nộp." : "";
      })
      .catch(function () {});
  });

  load(unitInput ? unitInput.value : "", function () {});
  if (!select.value) input.focus();
})();
