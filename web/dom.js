// DOM helpers the views share: find an element of index.html by id, set its text, build elements with text only.
// Imports nothing. Text always goes through textContent, never innerHTML: nothing from the API or a wallet is parsed as HTML.

export const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export function setText(id, text) {
  $(id).textContent = text;
}

/**
 * A new element: `attributes` set as properties (className, hidden, type…)
 * or, for names with a dash, as attributes; `children` are nodes or text.
 *
 * @example element("td", { className: "num" }, "1,234.5")
 */
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    if (name.includes("-") || name === "role") node.setAttribute(name, String(value));
    else node[name] = value;
  }
  node.append(...children.filter((child) => child !== undefined && child !== null && child !== false));
  return node;
}
