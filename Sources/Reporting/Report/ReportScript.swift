/// The report's script: a cursor across every panel at the pointer's time, with the time
/// written; the events under the pointer with their causes. It loads nothing, and marks the page
/// `data-script="ready"` once it has run (the browser tests look for it); opened with
/// `#hover-test`, it hovers a marker and a chart itself and records the tooltips.
enum ReportScript {
    static let javaScript = """
        (function () {
          "use strict";
          var body = document.body;
          var left = Number(body.dataset.axisLeft), width = Number(body.dataset.axisWidth), end = Number(body.dataset.axisEnd);
          var clockStart = body.dataset.clockStart === "" ? null : Number(body.dataset.clockStart);
          var tip = document.getElementById("tip");
          function two(n) { return (n < 10 ? "0" : "") + n; }
          function label(seconds) {
            var s = Math.floor(seconds);
            if (clockStart !== null) { var w = (clockStart + s) % 86400; return two(Math.floor(w / 3600)) + ":" + two(Math.floor(w / 60) % 60) + ":" + two(w % 60); }
            return Math.floor(s / 3600) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
          }
          function showTip(text, event) {
            tip.textContent = text;
            tip.style.display = "block";
            var x = event.clientX + 14, y = event.clientY + 14;
            var box = tip.getBoundingClientRect();
            if (x + box.width > window.innerWidth) { x = Math.max(0, event.clientX - box.width - 14); }
            if (y + box.height > window.innerHeight) { y = Math.max(0, event.clientY - box.height - 14); }
            tip.style.left = x + "px"; tip.style.top = y + "px";
          }
          function hideTip() { tip.style.display = "none"; }
          var cursors = Array.prototype.slice.call(document.querySelectorAll(".cursor"));
          function moveCursors(x) {
            cursors.forEach(function (line) {
              line.setAttribute("x1", x); line.setAttribute("x2", x);
              line.style.visibility = x >= left && x <= left + width ? "visible" : "hidden";
            });
          }
          Array.prototype.forEach.call(document.querySelectorAll("svg.chart, svg.events, svg.axis"), function (svg) {
            svg.addEventListener("mousemove", function (event) {
              var matrix = svg.getScreenCTM();
              if (!matrix) { return; }
              var point = svg.createSVGPoint(); point.x = event.clientX; point.y = event.clientY;
              var x = point.matrixTransform(matrix.inverse()).x;
              moveCursors(x);
              if (event.target.closest && event.target.closest(".marker")) { return; }
              if (x >= left && x <= left + width && svg.classList.contains("chart")) {
                var name = event.target.querySelector ? (event.target.querySelector("title") || {}).textContent : "";
                showTip(label((x - left) / width * end) + (name ? "  " + name : ""), event);
              } else { hideTip(); }
            });
            svg.addEventListener("mouseleave", function () { moveCursors(-1); hideTip(); });
          });
          Array.prototype.forEach.call(document.querySelectorAll(".marker"), function (marker) {
            marker.addEventListener("mousemove", function (event) { showTip(marker.dataset.tip, event); });
            marker.addEventListener("mouseleave", hideTip);
          });
          // Opened as report.html#hover-test, the page hovers its first marker and the middle of its
          // first chart itself and records what the tooltip said (the browser tests read it).
          if (location.hash === "#hover-test") {
            var hover = function (target) {
              var box = target.getBoundingClientRect();
              target.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 }));
              return tip.style.display === "block" ? tip.textContent : "";
            };
            var marker = document.querySelector(".marker"), chart = document.querySelector("svg.chart .plot");
            if (marker) { body.dataset.hoverMarker = hover(marker); }
            if (chart) { body.dataset.hoverChart = hover(chart); }
          }
          body.dataset.script = "ready";
        })();
        """
}
