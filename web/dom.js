// DOM helpers the views share: find an element of index.html by id, set its text.
// Imports nothing.

export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export function setText(id, text) {
  $(id).textContent = text;
}
