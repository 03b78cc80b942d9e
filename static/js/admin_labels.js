// Names for the admin's search-as-you-type pickers (select2). The picker draws its own
// box, named only by the value it shows, which is empty until something is picked; this
// names each box and its search field by the field's label, or in a table of rows by
// the column's heading, so a screen reader says "Source: Tokyo statement".
"use strict";

(function () {
  function nameOf(select) {
    const label = select.id && document.querySelector(`label[for="${select.id}"]`);
    if (label) {
      return label;
    }
    const cell = select.closest("td");
    const table = select.closest("table");
    const column = cell && [...cell.classList].find((name) => name.startsWith("field-"));
    if (!table || !column) {
      return null;
    }
    return table.querySelector(`thead th.column-${column.slice("field-".length)}`);
  }

  // The picker's × (clear) is for the mouse (the keyboard clears with Backspace) and
  // sits inside the list of picked values, which may hold only its items: it is hidden
  // from screen readers each time the picker draws it again.
  function hideClearButtons(picker) {
    picker.querySelectorAll(".select2-selection__clear").forEach((button) => {
      button.setAttribute("aria-hidden", "true");
    });
  }

  function nameAll(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const picker = select.nextElementSibling;
      const name = nameOf(select);
      if (!picker || !picker.classList.contains("select2") || !name) {
        return;
      }
      if (!name.id) {
        name.id = `${select.id}-name`;
      }
      picker.querySelectorAll('[role="combobox"]').forEach((box) => {
        const own = (box.getAttribute("aria-labelledby") || "")
          .split(" ")
          .filter((id) => id && id !== name.id);
        box.setAttribute("aria-labelledby", [name.id, ...own].join(" "));
      });
      // The box's text: the field's name, then the value shown.
      picker.querySelectorAll('[role="textbox"]').forEach((shown) => {
        shown.setAttribute("aria-labelledby", shown.id ? `${name.id} ${shown.id}` : name.id);
      });
      picker.querySelectorAll("input.select2-search__field").forEach((input) => {
        input.setAttribute("aria-labelledby", name.id);
      });
      hideClearButtons(picker);
      if (!picker.dataset.named) {
        picker.dataset.named = "yes";
        new MutationObserver(() => hideClearButtons(picker)).observe(picker, {
          childList: true,
          subtree: true,
        });
      }
    });
  }

  function drawsAPicker(node) {
    return (
      node.nodeType === Node.ELEMENT_NODE &&
      (node.matches(".select2") || node.querySelector(".select2") !== null)
    );
  }

  // The pickers are drawn when the page is ready and when a row is added, whichever
  // comes first on a slow machine: each one is named as soon as it appears.
  document.addEventListener("DOMContentLoaded", () => {
    nameAll(document);
    new MutationObserver((changes) => {
      if (changes.some((change) => [...change.addedNodes].some(drawsAPicker))) {
        nameAll(document);
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", () => nameAll(document));
  document.addEventListener("formset:added", (event) => {
    window.setTimeout(() => nameAll(event.target), 0);
  });
})();
