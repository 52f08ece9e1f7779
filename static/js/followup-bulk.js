// The task list's bulk actions: "select all on this page", the count of chosen tasks, and
// "pilih semua yang tersaring" ticking every box shown (the server takes every filtered task).
(function () {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const boxes = () => Array.from(document.querySelectorAll('input[name="tugas"][form="bulk-form"]'));
  const pageBox = document.getElementById("bulk-page");
  const allFiltered = form.querySelector('input[name="all_filtered"]');
  const count = document.getElementById("bulk-count");

  function update() {
    const chosen = boxes().filter((b) => b.checked).length;
    if (count) {
      count.textContent = chosen
        ? count.dataset.some.replace("{n}", String(chosen))
        : count.dataset.none;
    }
    if (pageBox) {
      pageBox.checked = chosen > 0 && chosen === boxes().length;
      pageBox.indeterminate = chosen > 0 && chosen < boxes().length;
    }
  }

  if (pageBox) {
    pageBox.addEventListener("change", () => {
      boxes().forEach((b) => (b.checked = pageBox.checked));
      if (!pageBox.checked && allFiltered) allFiltered.checked = false;
      update();
    });
  }
  if (allFiltered) {
    allFiltered.addEventListener("change", () => {
      if (allFiltered.checked) boxes().forEach((b) => (b.checked = true));
      update();
    });
  }
  boxes().forEach((b) =>
    b.addEventListener("change", () => {
      if (!b.checked && allFiltered) allFiltered.checked = false;
      update();
    }),
  );
  update();
})();
