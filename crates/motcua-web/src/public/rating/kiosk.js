// The desk's rating tablet (/kiosk): the code field keeps the focus for the QR scanner,
// the thanks screen goes back to the start after a few seconds, and a dossier's buttons left
// alone for a minute go back too, so that the next citizen never rates someone else's dossier.
(function () {
  "use strict";
  var main = document.querySelector("main[data-return-after]");
  if (main) {
    var seconds = parseInt(main.getAttribute("data-return-after"), 10) || 60;
    var timer = null;
    var arm = function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(function () { window.location.assign("/kiosk"); }, seconds * 1000);
    };
    ["keydown", "pointerdown", "input"].forEach(function (e) { document.addEventListener(e, arm); });
    arm();
  }
  var code = document.getElementById("code");
  if (code) { code.focus(); }
  document.querySelectorAll("form.kiosk-rate").forEach(function (form) {
    form.addEventListener("submit", function () {
      // After the browser has taken the pressed button's value: no second rating by a
      // double tap.
      setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
    });
  });
})();
