/* Look-up page: copy the answer in one keystroke, mark the call's outcome, all from the keyboard. */
(function () {
  "use strict";
  var status = document.getElementById("copied");

  function copyAnswer() {
    var source = document.getElementById("answer-text");
    if (!source) { return; }
    var text = source.textContent;
    function done() { if (status) { status.textContent = "已复制"; } }
    function fallback() {
      // Without the asynchronous clipboard (an older browser, a plain-HTTP address).
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { done(); } else if (status) { status.textContent = "复制失败，请手动选择文字复制"; }
      var button = document.getElementById("copy");
      if (button) { button.focus(); }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  function press(id) {
    var button = document.getElementById(id);
    if (button) { button.click(); }
  }

  var copy = document.getElementById("copy");
  if (copy) { copy.addEventListener("click", copyAnswer); }

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key.toLowerCase();
    // event.code too: on some layouts Alt changes event.key (e.g. Alt+C gives "ç").
    var code = event.code;
    if (key === "c" || code === "KeyC") { copyAnswer(); }
    else if (key === "s" || code === "KeyS") { press("satisfied"); }
    else if (key === "t" || code === "KeyT") { press("transferred"); }
    else if (key === "q" || code === "KeyQ") {
      var question = document.getElementById("question");
      if (question) { question.focus(); question.select(); }
    } else { return; }
    event.preventDefault();
  });
})();
