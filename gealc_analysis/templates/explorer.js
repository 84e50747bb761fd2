/* Activities explorer: search, filter, sort and CSV export of the rows already in the page.
   Hand-written and inlined by gealc_analysis.explorer; it loads nothing from the network. */
(function () {
  "use strict";
  var words = JSON.parse(document.getElementById("explorer-words").textContent);
  var table = document.getElementById("activities");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var form = document.querySelector("form.controls");
  var search = document.getElementById("search");
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("count");
  var noRows = document.getElementById("no-rows");
  var collator = new Intl.Collator(words.lang, { numeric: true, sensitivity: "base" });
  var sorted = { column: null, direction: 1 };

  // Accents and case never decide a match: "gestion" finds "Gestión".
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  rows.forEach(function (row, index) {
    row.searchText = fold(row.textContent);
    row.originalIndex = index;
  });

  function matches(row) {
    var terms = fold(search.value).split(/\s+/).filter(Boolean);
    for (var t = 0; t < terms.length; t++) {
      if (row.searchText.indexOf(terms[t]) === -1) return false;
    }
    for (var s = 0; s < selects.length; s++) {
      var value = selects[s].value;
      var name = selects[s].getAttribute("data-filter");
      if (!value) continue;
      if (name === "resource") {
        if (row.getAttribute("data-resources").split(" ").indexOf(value) === -1) return false;
      } else if (row.getAttribute("data-" + name) !== value) {
        return false;
      }
    }
    return true;
  }

  function update() {
    var shown = 0;
    rows.forEach(function (row) {
      var keep = matches(row);
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    count.textContent = words.count.replace("{shown}", shown).replace("{total}", rows.length);
    noRows.hidden = shown > 0;
  }

  // A cell's own text: without the mark (and its spoken words) on a translated title.
  function cellText(cell) {
    var copy = cell.cloneNode(true);
    Array.prototype.forEach.call(copy.querySelectorAll(".mark"), function (mark) {
      mark.remove();
    });
    return copy.textContent;
  }

  function sortKey(row, column) {
    var cell = row.querySelector('td[data-column="' + column + '"]');
    return cell.getAttribute("data-sort") || cellText(cell);
  }

  table.tHead.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-column]");
    if (!button) return;
    var column = button.getAttribute("data-column");
    sorted.direction = sorted.column === column ? -sorted.direction : 1;
    sorted.column = column;
    rows.sort(function (a, b) {
      return sorted.direction * collator.compare(sortKey(a, column), sortKey(b, column)) ||
        a.originalIndex - b.originalIndex;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var mine = th.querySelector("button").getAttribute("data-column") === column;
      th.setAttribute("aria-sort", !mine ? "none" :
        (sorted.direction === 1 ? "ascending" : "descending"));
    });
  });

  // A cell a spreadsheet would run as a formula gets a leading apostrophe (the rule of
  // core/outputs.is_formula_like): a tab or return at the very start, or = + - @ first
  // after NFKC ("＝" is "=") and leading spaces and invisible format characters (Cf, Zs).
  // Every cell is quoted, quotes doubled.
  function csvCell(text) {
    var first = text.normalize("NFKC").replace(/^[\s\p{Cf}\p{Zs}]+/u, "");
    if (/^[\t\r]/.test(text) || /^[=+\-@]/.test(first)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function csvText() {
    var header = Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return csvCell(th.textContent.trim());
    });
    var lines = [header.join(",")];
    rows.forEach(function (row) {
      if (row.hidden) return;
      lines.push(Array.prototype.map.call(row.cells, function (td) {
        return csvCell(cellText(td));
      }).join(","));
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";  // BOM: Excel then reads UTF-8 accents
  }

  document.getElementById("download").addEventListener("click", function () {
    var blob = new Blob([csvText()], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = words.csv_name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  });

  search.addEventListener("input", update);
  selects.forEach(function (select) { select.addEventListener("change", update); });
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  update();
})();
