// debrief's own script: small enhancements of pages that work without it.
// - A tapped reason suggestion fills its field.
// - A client never logged before is taken for a new lead (until the rep says otherwise).
// - The app installs (a service worker) and opens without a network.
// - Nothing typed into the log form is lost: it is kept on the phone as it
//   is typed, and a contact saved without a network is queued and sent when
//   the connection comes back.
"use strict";

const QUEUE = "debrief.queue";
const DRAFT = "debrief.draft";

document.addEventListener("click", (event) => {
  const chip = event.target.closest("button[data-fill]");
  if (!chip) return;
  const field = document.getElementById(chip.dataset.fill);
  if (!field) return;
  field.value = chip.dataset.value;
  const list = chip.closest(".suggest");
  if (list) list.replaceChildren();
  field.dispatchEvent(new Event("input", { bubbles: true }));
  const pair = field.closest(".pair");
  const next = pair ? pair.querySelector("input:not([id='" + field.id + "'])") : null;
  (next || field).focus();
});

let leadTouched = false;
document.addEventListener("change", (event) => {
  if (event.target.id === "new_lead") leadTouched = true;
  if (event.target.id !== "client" || leadTouched) return;
  const lead = document.getElementById("new_lead");
  const known = document.getElementById("known-clients");
  const name = event.target.value.trim().toLowerCase();
  if (!lead || !known || !name) return;
  lead.checked = ![...known.options].some((option) => option.value.toLowerCase() === name);
});

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}

function read(key, otherwise) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? otherwise;
  } catch {
    return otherwise;
  }
}

function logForm() {
  return document.querySelector("form.contact-form[action='/log']");
}

/** The form's fields as name → value (the unchecked boxes and radios left out). */
function fields(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** "2026-11-30T14:24" in the phone's time, for a contact queued now. */
function localNow() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function say(text) {
  let box = document.getElementById("queued");
  if (!box) {
    const main = document.querySelector("main");
    if (!main || !text) return;
    box = document.createElement("p");
    box.id = "queued";
    box.className = "saved";
    box.setAttribute("role", "status");
    main.prepend(box);
  }
  box.textContent = text;
  box.hidden = !text;
}

function showQueue() {
  const n = read(QUEUE, []).length;
  if (n) say(`${n} contact${n === 1 ? "" : "s"} saved on this phone, to be logged when you are back online.`);
}

async function flush() {
  const queue = read(QUEUE, []);
  if (!queue.length || !navigator.onLine) return;
  const left = [];
  let sent = 0;
  for (const body of queue) {
    try {
      const response = await fetch("/log", {
        method: "POST",
        body: new URLSearchParams(body),
        credentials: "same-origin",
      });
      if (response.ok) {
        sent += 1;
      } else if (response.status >= 500) {
        left.push(body);
      } else {
        // Refused as typed: back into the form to be put right.
        localStorage.setItem(DRAFT, JSON.stringify(body));
      }
    } catch {
      left.push(body);
    }
  }
  localStorage.setItem(QUEUE, JSON.stringify(left));
  if (left.length) showQueue();
  else if (sent) say(`Back online: ${sent} contact${sent === 1 ? "" : "s"} saved on this phone ${sent === 1 ? "is" : "are"} logged.`);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form !== logForm()) return;
  localStorage.removeItem(DRAFT);
  if (navigator.onLine) return;
  event.preventDefault();
  const body = fields(form);
  if (!body.at) body.at = localNow();
  const queue = read(QUEUE, []);
  queue.push(body);
  localStorage.setItem(QUEUE, JSON.stringify(queue));
  form.reset();
  showQueue();
  window.scrollTo(0, 0);
});

document.addEventListener("input", (event) => {
  const form = logForm();
  if (form && form.contains(event.target)) localStorage.setItem(DRAFT, JSON.stringify(fields(form)));
});

/** Puts a kept draft back into an empty log form. */
function restore() {
  const form = logForm();
  const draft = read(DRAFT, null);
  if (!form || !draft || form.querySelector("[aria-invalid='true']")) return;
  const typed = Object.values(fields(form)).some((v) => v && v !== "call");
  if (typed) return;
  for (const [name, value] of Object.entries(draft)) {
    for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (input.type === "radio" || input.type === "checkbox") input.checked = input.value === value;
      else input.value = value;
    }
  }
}

window.addEventListener("online", flush);
document.addEventListener("DOMContentLoaded", () => {
  restore();
  showQueue();
  flush();
});
