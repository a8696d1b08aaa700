// Telegram text + entities → DOM nodes. Never HTML strings: every character the bot or a user
// typed becomes a text node, and markup exists only as elements built here. Offsets are UTF-16
// code units, which is exactly how JavaScript indexes strings.

const SAFE_SCHEMES = new Set(["http:", "https:", "tg:", "mailto:", "tel:"]);

/** A URL safe to put in href (no javascript:, data: …), or null. */
export function safeUrl(raw) {
  const text = String(raw || "").trim();
  if (!text) return null;
  for (const candidate of [text, `http://${text}`]) {
    try {
      const url = new URL(candidate);
      if (SAFE_SCHEMES.has(url.protocol)) return url.href;
      if (candidate === text && /^[a-z][a-z0-9+.-]*:/i.test(text)) return null; // other scheme
    } catch {
      // try the next form
    }
  }
  return null;
}

/**
 * Render `text` with its `entities` into a DocumentFragment.
 * hooks.onCommand(command) — a /command was clicked; hooks.onLink(href, event) — a link.
 */
export function renderText(text, entities, hooks = {}) {
  const fragment = document.createDocumentFragment();
  const value = String(text ?? "");
  build(fragment, value, 0, value.length, normalise(entities, value.length), hooks);
  return fragment;
}

function normalise(entities, length) {
  return (Array.isArray(entities) ? entities : [])
    .filter(
      (e) =>
        e &&
        Number.isInteger(e.offset) &&
        Number.isInteger(e.length) &&
        e.length > 0 &&
        e.offset >= 0 &&
        e.offset < length,
    )
    .map((e) => ({ ...e, length: Math.min(e.length, length - e.offset) }))
    .sort(byStart);
}

function byStart(a, b) {
  return a.offset - b.offset || b.length - a.length;
}

// Entities normally nest; when two overlap partially, the later one is split at the end of the
// earlier, so the tree stays well formed and no character is lost or repeated.
function build(parent, text, start, end, entities, hooks) {
  let pos = start;
  let queue = entities.slice();
  while (queue.length) {
    const entity = queue.shift();
    const from = Math.max(entity.offset, pos);
    const to = Math.min(entity.offset + entity.length, end);
    if (to <= from) continue;
    if (from > pos) parent.append(text.slice(pos, from));
    const inner = [];
    const rest = [];
    for (const other of queue) {
      const otherEnd = other.offset + other.length;
      if (other.offset >= to) rest.push(other);
      else if (otherEnd <= to) inner.push(other);
      else {
        inner.push({ ...other, length: to - other.offset });
        rest.push({ ...other, offset: to, length: otherEnd - to });
      }
    }
    const [outer, content] = element(entity, text.slice(from, to), hooks);
    build(content, text, from, to, inner, hooks);
    parent.append(outer);
    pos = to;
    queue = rest.sort(byStart);
  }
  if (pos < end) parent.append(text.slice(pos, end));
}

const SIMPLE = {
  bold: "strong",
  italic: "em",
  underline: "u",
  strikethrough: "s",
  code: "code",
  blockquote: "blockquote",
};

function element(entity, segment, hooks) {
  const simple = SIMPLE[entity.type];
  if (simple) {
    const node = document.createElement(simple);
    return [node, node];
  }
  switch (entity.type) {
    case "pre": {
      const pre = document.createElement("pre");
      const code = document.createElement("code");
      if (entity.language) code.dataset.language = String(entity.language);
      pre.append(code);
      return [pre, pre.firstChild];
    }
    case "expandable_blockquote": {
      const quote = document.createElement("blockquote");
      quote.className = "expandable";
      quote.addEventListener("click", () => quote.classList.toggle("expanded"));
      return [quote, quote];
    }
    case "spoiler": {
      const span = document.createElement("span");
      span.className = "spoiler";
      span.title = "Spoiler: click to reveal";
      span.addEventListener("click", () => span.classList.add("revealed"));
      return [span, span];
    }
    case "text_link":
      return link(entity.url, hooks);
    case "url":
      return link(segment, hooks);
    case "email":
      return link(`mailto:${segment}`, hooks);
    case "phone_number":
      return link(`tel:${segment.replace(/[^+\d]/g, "")}`, hooks);
    case "bot_command": {
      const a = document.createElement("a");
      a.className = "command";
      a.href = "#";
      a.addEventListener("click", (event) => {
        event.preventDefault();
        if (hooks.onCommand) hooks.onCommand(segment);
      });
      return [a, a];
    }
    case "mention":
    case "text_mention":
    case "hashtag":
    case "cashtag": {
      const span = document.createElement("span");
      span.className = entity.type === "hashtag" || entity.type === "cashtag" ? "tag" : "mention";
      return [span, span];
    }
    default: {
      const span = document.createElement("span");
      span.className = `entity-${String(entity.type).replace(/[^a-z_]/g, "")}`;
      return [span, span];
    }
  }
}

function link(raw, hooks) {
  const href = safeUrl(raw);
  if (href === null) {
    const span = document.createElement("span");
    span.className = "unsafe-link";
    span.title = "This link was not opened: its address is not http(s)";
    return [span, span];
  }
  const a = document.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.addEventListener("click", (event) => {
    if (hooks.onLink && hooks.onLink(href)) event.preventDefault();
  });
  return [a, a];
}
