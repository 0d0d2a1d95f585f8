// hamas-russia-kg site: small enhancements only. Every page shows all its facts without this
// script; here the search list is filtered by ?q= and the timeline by ?actor=.
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);

  function normal(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var index = document.getElementById("search-index");
  if (index) {
    var box = document.getElementById("q");
    var status = document.getElementById("search-status");
    var items = Array.prototype.slice.call(index.querySelectorAll("li"));
    var search = function () {
      var words = normal(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var names = normal(item.getAttribute("data-names"));
        var hit = words.every(function (w) { return names.indexOf(w) >= 0; });
        item.classList.toggle("hidden", !hit);
        if (hit) { shown += 1; }
      });
      status.textContent = words.length ? shown + " of " + items.length + " names match" : "";
      index.setAttribute("data-shown", String(shown));
    };
    box.value = params.get("q") || "";
    box.addEventListener("input", search);
    search();
  }

  var select = document.getElementById("actor");
  if (select) {
    var filterStatus = document.getElementById("filter-status");
    var entries = Array.prototype.slice.call(document.querySelectorAll("li.item"));
    var filter = function () {
      var actor = select.value;
      var shown = 0;
      entries.forEach(function (item) {
        var actors = (item.getAttribute("data-actors") || "").split(" ");
        var hit = !actor || actors.indexOf(actor) >= 0;
        item.classList.toggle("hidden", !hit);
        if (hit) { shown += 1; }
      });
      filterStatus.textContent = actor ? shown + " of " + entries.length + " items" : "";
    };
    select.value = params.get("actor") || "";
    select.addEventListener("change", filter);
    filter();
  }
}());
