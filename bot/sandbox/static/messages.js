// One message → one row in the chat, drawn like a Telegram client: bubble, media, text with
// its entities, time, and the inline keyboard under it. Built from DOM nodes only.

import { fileUrl } from "./api.js";
import { renderText } from "./entities.js";

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

export function initials(name) {
  const parts = String(name || "?").trim().split(/\s+/);
  const first = (part) => Array.from(part)[0] || "?";
  return (parts.length > 1 ? first(parts[0]) + first(parts[1]) : first(parts[0])).toUpperCase();
}

export function avatar(id, name) {
  const node = el("span", "avatar", initials(name));
  node.dataset.hue = String(Math.abs(Number(id)) % 7);
  return node;
}

export function formatTime(unixSeconds, zone, withDate = false) {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone };
  if (withDate) Object.assign(options, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
  try {
    return new Intl.DateTimeFormat("en-GB", options).format(new Date(unixSeconds * 1000));
  } catch {
    return new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
  }
}

function formatSize(bytes) {
  if (!Number.isFinite(bytes)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function formatDuration(seconds) {
  const whole = Math.max(0, Math.round(Number(seconds) || 0));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

const LIVE_UNTIL_STOPPED = 0x7fffffff; // Telegram's live_period for "until I turn it off"

const SERVICE_TEXT = {
  new_chat_members: (who, users) => `${who} added ${users.join(", ")}`,
  left_chat_member: (who, users) => `${users.join(", ") || who} left the group`,
  group_chat_created: (who) => `${who} created the group`,
  migrate_to_chat_id: () => "The group was upgraded to a supergroup",
};

/**
 * ctx: { viewerId, isGroup, zone, now (unix seconds), onTap(message, data), onCommand(text),
 *        onLink(href), onUrlButton(url), onReply(message), onUnsupported(label),
 *        onMoveLive(message), onStopLive(message) }
 */
export function renderMessage(message, ctx) {
  if (message.service) {
    const row = el("div", "service-row");
    const make = SERVICE_TEXT[message.service.kind];
    const text = make ? make(message.sender.name, message.service.users) : message.service.kind.replace(/_/g, " ");
    row.append(el("span", "service", text));
    mark(row, message, "service");
    return row;
  }
  const outgoing = !message.from_bot && message.sender.id === ctx.viewerId;
  const row = el("div", `message-row ${outgoing ? "out" : "in"}`);
  mark(row, message, message.from_bot ? "bot" : outgoing ? "me" : "them");
  if (ctx.isGroup && !outgoing) row.append(avatar(message.sender.id, message.sender.name));
  const column = el("div", "message-column");
  const bubble = el("div", "bubble");
  if (ctx.isGroup && !outgoing) {
    const sender = el("div", "sender", message.sender.name);
    sender.dataset.hue = String(Math.abs(Number(message.sender.id)) % 7);
    bubble.append(sender);
  }
  if (message.forwarded_from) bubble.append(el("div", "forwarded", `Forwarded from ${message.forwarded_from}`));
  if (message.reply_to) {
    const quote = el("div", "quote");
    quote.append(el("strong", "", message.reply_to.sender), el("span", "", message.reply_to.excerpt));
    bubble.append(quote);
  }
  appendMedia(bubble, message, outgoing, ctx);
  const hasText = message.text !== null && message.text !== undefined;
  const body = hasText ? message.text : message.caption;
  if (body) {
    const text = el("div", "text");
    text.dataset.testid = "message-text";
    text.append(renderText(body, hasText ? message.entities : message.caption_entities, ctx));
    bubble.append(text);
  }
  const meta = el("div", "meta");
  if (message.photo) {
    const save = el("a", "save", "download");
    save.href = fileUrl(message.photo.file_id, true);
    save.download = `photo-${message.message_id}`;
    meta.append(save);
  }
  if (message.edit_date) meta.append(el("span", "edited", "edited"));
  const time = el("time", "", formatTime(message.date, ctx.zone));
  time.title = formatTime(message.date, ctx.zone, true);
  meta.append(time);
  bubble.append(meta);
  const reply = el("button", "reply-action", "↩");
  reply.type = "button";
  reply.title = "Reply";
  reply.addEventListener("click", () => ctx.onReply(message));
  column.append(bubble);
  const keyboard = inlineKeyboard(message, ctx);
  if (keyboard) column.append(keyboard);
  row.append(column, reply);
  return row;
}

function mark(row, message, from) {
  row.dataset.testid = "message";
  row.dataset.messageId = String(message.message_id);
  row.dataset.from = from;
}

function appendMedia(bubble, message, outgoing, ctx) {
  if (message.photo) {
    const link = el("a", "photo");
    link.href = fileUrl(message.photo.file_id);
    link.target = "_blank";
    link.rel = "noopener";
    const img = el("img");
    img.alt = "Photo";
    img.src = fileUrl(message.photo.file_id);
    if (message.photo.width && message.photo.height) {
      img.width = message.photo.width;
      img.height = message.photo.height;
    }
    link.append(img);
    bubble.append(link);
    bubble.classList.add("has-photo");
  }
  if (message.document) {
    const doc = el("div", "document");
    const icon = el("span", "doc-icon", "📄");
    const info = el("div", "doc-info");
    const name = el("a", "doc-name", message.document.file_name || "File");
    name.href = fileUrl(message.document.file_id, true);
    name.download = message.document.file_name || "file";
    info.append(name, el("span", "doc-size", formatSize(message.document.file_size)));
    doc.append(icon, info);
    bubble.append(doc);
  }
  if (message.voice) bubble.append(voiceNote(message));
  if (message.venue) {
    bubble.append(el("div", "venue", `📍 ${message.venue.title} — ${message.venue.address}`));
  } else if (message.location) {
    const { latitude, longitude, horizontal_accuracy: accuracy } = message.location;
    const box = el("div", "location");
    box.append(el("span", "pin", message.live_until ? "📡" : "📍"));
    const info = el("div", "location-box");
    const accuracyText = accuracy ? ` ± ${Math.round(accuracy)} m` : "";
    info.append(el("span", "coords", `${latitude.toFixed(5)}, ${longitude.toFixed(5)}${accuracyText}`));
    const live = liveState(message, outgoing, ctx);
    if (live) info.append(live);
    box.append(info);
    bubble.append(box);
  }
  if (message.contact) {
    const { first_name: first, last_name: last, phone_number: phone } = message.contact;
    bubble.append(el("div", "contact", `👤 ${[first, last].filter(Boolean).join(" ")} · ${phone}`));
  }
}

/** A voice message: a player, its length, and a download link. */
function voiceNote(message) {
  const { file_id: fileId, duration, mime_type: mime } = message.voice;
  const box = el("div", "voice");
  box.dataset.testid = "voice";
  const audio = el("audio");
  audio.controls = true;
  audio.preload = "metadata";
  audio.src = fileUrl(fileId);
  const info = el("div", "voice-info");
  info.append(el("span", "voice-label", `🎤 Voice message · ${formatDuration(duration)}`));
  const save = el("a", "save", "download");
  save.href = fileUrl(fileId, true);
  const extension = (mime || "audio/ogg").split("/")[1].replace(/^x-/, "").replace("mpeg", "mp3");
  save.download = `voice-${message.message_id}.${extension === "ogg" ? "oga" : extension}`;
  info.append(save);
  box.append(audio, info);
  return box;
}

/** Under a live location: until when it moves and, for its sender, Move… and Stop sharing. */
function liveState(message, outgoing, ctx) {
  const until = message.live_until;
  if (!until) {
    // A user's location only changes while it is live: an edited one was live and stopped.
    return message.edit_date ? el("span", "live-state", "Live location stopped") : null;
  }
  const node = el("div");
  node.dataset.liveUntil = String(until);
  if (until <= ctx.now) {
    node.append(el("span", "live-state", "Live location ended"));
    return node;
  }
  const forever = until - message.date >= LIVE_UNTIL_STOPPED;
  const label = forever ? "until stopped" : `until ${formatTime(until, ctx.zone)}`;
  const state = el("span", "live-state active", `Live location · ${label}`);
  state.dataset.testid = "live-state";
  node.append(state);
  if (outgoing) {
    const actions = el("div", "live-actions");
    for (const [text, testid, action] of [
      ["Move…", "live-move", ctx.onMoveLive], ["Stop sharing", "live-stop", ctx.onStopLive],
    ]) {
      const button = el("button", "", text);
      button.type = "button";
      button.dataset.testid = testid;
      button.addEventListener("click", () => action(message));
      actions.append(button);
    }
    node.append(actions);
  }
  return node;
}

function inlineKeyboard(message, ctx) {
  const rows = message.reply_markup && message.reply_markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.length) return null;
  const keyboard = el("div", "inline-keyboard");
  for (const row of rows) {
    const line = el("div", "keyboard-row");
    for (const button of row) {
      const node = el("button", "inline-button", button.text);
      node.type = "button";
      node.dataset.testid = "inline-button";
      if (button.url) node.classList.add("link-button");
      node.addEventListener("click", () => pressInline(message, button, ctx, node));
      line.append(node);
    }
    keyboard.append(line);
  }
  return keyboard;
}

async function pressInline(message, button, ctx, node) {
  if (typeof button.callback_data === "string") {
    node.classList.add("pressed");
    try {
      await ctx.onTap(message, button.callback_data);
    } finally {
      node.classList.remove("pressed");
    }
  } else if (button.url) {
    ctx.onUrlButton(button.url);
  } else if (button.copy_text && navigator.clipboard) {
    await navigator.clipboard.writeText(button.copy_text.text);
    ctx.onUnsupported("Copied to the clipboard");
  } else {
    ctx.onUnsupported(`“${button.text}” needs a Telegram app; the sandbox cannot open it`);
  }
}
