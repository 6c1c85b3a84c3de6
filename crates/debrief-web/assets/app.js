// debrief's own script: small enhancements of pages that work without it.
// - A tapped reason suggestion fills its field.
"use strict";

document.addEventListener("click", (event) => {
  const chip = event.target.closest("button[data-fill]");
  if (!chip) return;
  const field = document.getElementById(chip.dataset.fill);
  if (!field) return;
  field.value = chip.dataset.value;
  const list = chip.closest(".suggest");
  if (list) list.replaceChildren();
  field.dispatchEvent(new Event("change", { bubbles: true }));
  const pair = field.closest(".pair");
  const next = pair ? pair.querySelector("input:not([id='" + field.id + "'])") : null;
  (next || field).focus();
});
