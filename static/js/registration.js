// Registration pages: filter a long <select> by typing, and copy a ticket message.
(function () {
  "use strict";
  document.querySelectorAll("input[data-filter-select]").forEach(function (input) {
    var select = document.getElementById(input.dataset.filterSelect);
    if (!select) return;
    var fold = function (text) {
      return (text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
        .replace(/[^a-z0-9]+/g, " ").trim();
    };
    input.addEventListener("input", function () {
      var wanted = fold(input.value);
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = !wanted || option.value === "0" || option.selected ||
          fold(option.textContent).indexOf(wanted) !== -1;
        option.hidden = !keep;
      });
      var visible = Array.prototype.filter.call(select.options, function (o) {
        return !o.hidden && o.value !== "0";
      });
      if (!select.multiple && visible.length === 1) select.value = visible[0].value;
    });
  });
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.dataset.copy);
      if (!source) return;
      var done = function () { button.textContent = button.dataset.copied || "OK"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(source.value).then(done);
      } else {
        source.select();
        document.execCommand("copy");
        done();
      }
    });
  });
})();

// Long operations (an import of thousands of rows): show that the server is working and
// prevent a second submission.
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-busy]");
  if (!form || event.defaultPrevented) return;
  var button = form.querySelector("button[type=submit]");
  if (button) {
    button.disabled = true;
    button.textContent = form.dataset.busy;
  }
  var status = form.querySelector("[data-busy-status]");
  if (status) status.hidden = false;
});

// Bulk actions on the registrations list: tick rows (or every row of the page), or "all
// filtered", and the count says what is selected. The rows' checkboxes belong to form#bulk.
(function () {
  "use strict";
  var form = document.querySelector("form[data-bulk]");
  if (!form) return;
  var rows = Array.prototype.slice.call(
    document.querySelectorAll('input[type=checkbox][name=ids][form="' + form.id + '"]')
  );
  var page = document.getElementById("bulk-page");
  var all = document.getElementById("bulk-all");
  var count = document.getElementById("bulk-count");
  function update() {
    var ticked = rows.filter(function (box) { return box.checked; }).length;
    rows.forEach(function (box) { box.disabled = all.checked; });
    if (page) {
      page.disabled = all.checked;
      page.checked = rows.length > 0 && ticked === rows.length;
      page.indeterminate = ticked > 0 && ticked < rows.length;
    }
    if (all.checked) count.textContent = count.dataset.all;
    else if (ticked) count.textContent = ticked + " " + count.dataset.some;
    else count.textContent = count.dataset.none;
  }
  rows.forEach(function (box) { box.addEventListener("change", update); });
  all.addEventListener("change", update);
  if (page) {
    page.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = page.checked; });
      update();
    });
  }
  update();
})();
