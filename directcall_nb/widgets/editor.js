// The message editor's view: a textarea and a row of buttons that insert placeholders at the
// caret. A plain ES module for anywidget: no build step, no imports.
//
// Keyboard: every key typed inside the editor stays inside it. Its root carries
// `data-lm-suppress-shortcuts` (JupyterLab's documented way to keep an output's keys from the
// notebook's command-mode shortcuts: Lumino stops looking for a shortcut at such an element)
// and stops the propagation of key events (JupyterLab listens for shortcuts on the document,
// in the bubbling phase). The closest ancestor matching the `keyboard_scope` selector, once
// the editor is in the page, is guarded the same way, so a whole form can be.
//
// Focus: a placeholder button never takes the focus (its mousedown is cancelled); a press,
// by mouse or keyboard, inserts at the caret or over the selection and hands the focus back
// to the textarea, the caret after the inserted text.
//
// Positions: Python counts code points, the DOM counts UTF-16 units; the synced selection is
// in code points, converted here both ways.

const KEY_EVENTS = ["keydown", "keyup", "keypress"];
const SUPPRESS = "data-lm-suppress-shortcuts";
const GUARDS = "dcKeyGuards";
const SELECTION_EVENTS = ["select", "selectionchange", "keyup", "mouseup", "click", "focus"];

let nextId = 0;

function keepKeys(event) {
  event.stopPropagation();
}

/** Keep every key event that starts inside `node` from reaching the page's shortcuts. */
function guardKeys(node) {
  const count = Number(node.dataset[GUARDS] || 0) + 1;
  node.dataset[GUARDS] = String(count);
  node.setAttribute(SUPPRESS, "true");
  for (const type of KEY_EVENTS) node.addEventListener(type, keepKeys);
  return () => {
    for (const type of KEY_EVENTS) node.removeEventListener(type, keepKeys);
    const left = Number(node.dataset[GUARDS] || 1) - 1;
    if (left > 0) {
      node.dataset[GUARDS] = String(left);
    } else {
      delete node.dataset[GUARDS];
      node.removeAttribute(SUPPRESS);
    }
  };
}

/** The number of code points in the first `units` UTF-16 units of `text`. */
function toPoints(text, units) {
  let points = 0;
  for (let i = 0; i < units && i < text.length; points += 1) {
    i += text.codePointAt(i) > 0xffff ? 2 : 1;
  }
  return points;
}

/** The number of UTF-16 units in the first `points` code points of `text`. */
function toUnits(text, points) {
  let units = 0;
  for (let p = 0; p < points && units < text.length; p += 1) {
    units += text.codePointAt(units) > 0xffff ? 2 : 1;
  }
  return units;
}

function element(tag, className) {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function render({ model, el }) {
  const cleanups = [];
  const listen = (target, type, handler) => {
    target.addEventListener(type, handler);
    cleanups.push(() => target.removeEventListener(type, handler));
  };

  el.classList.add("dc-editor");
  cleanups.push(guardKeys(el));

  const id = `dc-editor-${(nextId += 1)}`;
  const label = element("label", "dc-editor-label");
  label.htmlFor = id;
  const body = element("div", "dc-editor-body");
  const textarea = element("textarea", "dc-editor-text");
  textarea.id = id;
  const bar = element("div", "dc-editor-placeholders");
  bar.setAttribute("role", "toolbar");
  const barLabel = element("span", "dc-editor-placeholders-label");
  body.append(textarea, bar);
  el.append(label, body);

  // -- from the textarea to the model ------------------------------------------------------
  // While the view writes to the model, the model's change events are its own: not shown back
  // (the value would be shown with the selection it had before, moving the caret).
  let writing = false;
  const write = (changes) => {
    writing = true;
    try {
      changes();
    } finally {
      writing = false;
    }
  };
  const selection = () => {
    const text = textarea.value;
    return [toPoints(text, textarea.selectionStart), toPoints(text, textarea.selectionEnd)];
  };
  const setSelection = () => {
    const [start, end] = selection();
    const changed =
      model.get("selection_start") !== start || model.get("selection_end") !== end;
    if (changed) {
      write(() => {
        model.set("selection_start", start);
        model.set("selection_end", end);
      });
    }
    return changed;
  };
  const commit = () => {
    write(() => model.set("value", textarea.value));
    setSelection();
    model.save_changes();
  };
  listen(textarea, "input", commit);
  for (const type of SELECTION_EVENTS) {
    listen(textarea, type, () => {
      if (setSelection()) model.save_changes();
    });
  }

  // -- placeholder buttons -----------------------------------------------------------------
  const insert = (text) => {
    if (textarea.disabled) return;
    // A textarea keeps its selection while it has no focus, so this is the caret the analyst
    // left, wherever the focus went.
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // As if typed: the browser's undo history keeps it, and an input event follows.
    const typed =
      document.activeElement === textarea &&
      typeof document.execCommand === "function" &&
      document.execCommand("insertText", false, text);
    if (!typed) {
      textarea.setRangeText(text, start, end, "end");
      commit();
    }
  };

  const drawButtons = () => {
    const words = model.get("placeholders_label");
    barLabel.textContent = words;
    bar.setAttribute("aria-label", words);
    const buttons = model.get("placeholders").map((text) => {
      const button = element("button", "dc-editor-insert");
      button.type = "button";
      button.textContent = text;
      button.title = text;
      button.disabled = model.get("disabled");
      // No focus for the button: the caret and the keys stay in the textarea.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", (event) => {
        event.preventDefault();
        insert(text);
      });
      // Reached with Tab, a button is pressed once: Enter or Space inserts at once, and the
      // key's own effects (a click, a line break, a space) never follow into the text box.
      button.addEventListener("keydown", (event) => {
        if (event.key !== "Enter" && event.key !== " ") return;
        event.preventDefault();
        if (!event.repeat) insert(text);
      });
      return button;
    });
    bar.replaceChildren(...(words ? [barLabel] : []), ...buttons);
    bar.hidden = buttons.length === 0;
  };

  // -- from the model to the view ----------------------------------------------------------
  const showSelection = () => {
    const start = model.get("selection_start");
    const end = model.get("selection_end");
    if (start === null || end === null || start === undefined || end === undefined) return;
    const text = textarea.value;
    const from = toUnits(text, Math.min(start, end));
    const to = toUnits(text, Math.max(start, end));
    if (textarea.selectionStart !== from || textarea.selectionEnd !== to) {
      textarea.setSelectionRange(from, to);
    }
  };
  const showValue = () => {
    const value = model.get("value");
    if (textarea.value !== value) textarea.value = value;
    showSelection();
  };
  const showText = () => {
    textarea.placeholder = model.get("placeholder");
    textarea.rows = Math.max(1, model.get("rows") || 1);
    textarea.disabled = model.get("disabled");
    const description = model.get("description");
    label.textContent = description;
    label.hidden = !description;
    label.style.width = model.get("description_width");
  };
  const showDisabled = () => {
    showText();
    drawButtons();
  };

  const bindings = [
    ["change:value", showValue],
    ["change:selection_start change:selection_end", showSelection],
    ["change:placeholder change:rows change:description change:description_width", showText],
    ["change:disabled", showDisabled],
    ["change:placeholders change:placeholders_label", drawButtons],
  ];
  for (const [events, show] of bindings) {
    const handler = () => {
      if (!writing) show();
    };
    model.on(events, handler);
    cleanups.push(() => model.off(events, handler));
  }
  showText();
  drawButtons();
  showValue();

  // -- the ancestor guard, once the editor is in the page ------------------------------------
  let frame = 0;
  let scopeCleanup = null;
  const guardScope = () => {
    frame = 0;
    if (scopeCleanup) {
      scopeCleanup();
      scopeCleanup = null;
    }
    const selector = model.get("keyboard_scope");
    if (!selector) return;
    if (!el.isConnected) {
      frame = requestAnimationFrame(guardScope);
      return;
    }
    let scope = null;
    try {
      scope = el.parentElement && el.parentElement.closest(selector);
    } catch (error) {
      console.warn(`MessageEditor: keyboard_scope ${JSON.stringify(selector)}:`, error);
    }
    if (scope) scopeCleanup = guardKeys(scope);
  };
  guardScope();
  model.on("change:keyboard_scope", guardScope);
  cleanups.push(() => {
    model.off("change:keyboard_scope", guardScope);
    if (frame) cancelAnimationFrame(frame);
    if (scopeCleanup) scopeCleanup();
  });

  return () => {
    for (const cleanup of cleanups.reverse()) cleanup();
  };
}

export default { render };
