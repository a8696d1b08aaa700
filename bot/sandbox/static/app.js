// The web chat: a Telegram client for every demo persona at once. It reads chats from the
// sandbox's API, acts through it as the chosen person, and follows every change live over
// server-sent events, so several tabs (say, a rep and their manager) stay in step.

import { chatPath, get, post, upload } from "./api.js";
import { clockZone, moveClock, renderClock, reportJobs, setNow } from "./clock.js";
import {
  alertBox, askNewcomer, askOpener, askPhone, attempt, pickLocation, pickMoment, toast,
} from "./dialogs.js";
import { safeUrl } from "./entities.js";
import { avatar, el, renderMessage } from "./messages.js";
import { defaultSpeaker, renderSidebar as drawSidebar } from "./sidebar.js";
import { $, roleLabel, state } from "./state.js";

const renderSidebar = () => drawSidebar(openChat);

// ----- sidebar -----

async function loadState() {
  const data = await get("/api/state");
  state.bot = data.bot;
  state.defaultZone = data.default_timezone;
  state.languages = data.languages;
  state.people = new Map(data.people.map((p) => [p.id, p]));
  state.groups = new Map(data.groups.map((g) => [g.id, g]));
  setNow(data.now);
  renderSidebar();
  renderHeader();
}

// ----- the open chat -----

async function openChat(chatId, speaker) {
  state.chatId = chatId;
  state.speaker = speaker;
  state.unread.delete(chatId);
  state.loading = true;
  state.buffered = [];
  state.replyTo = null;
  history.replaceState(null, "", `#chat=${chatId}&as=${speaker}`);
  renderSidebar();
  const data = await get(chatPath(chatId));
  if (state.chatId !== chatId) return;
  state.chat = { ...data.chat, timezone: data.timezone };
  state.keyboard = data.chat.keyboard;
  state.keyboardHidden = false;
  renderHeader();
  renderAll(data.messages);
  for (const [kind, message] of state.buffered) applyMessage(kind, message);
  state.loading = false;
  renderKeyboard();
  renderReply();
  scrollToEnd(true);
  $("#text").focus();
}

function renderHeader() {
  const chat = state.chat;
  if (!chat) return;
  const isGroup = chat.type !== "private";
  const person = state.people.get(chat.id);
  $("#chat-avatar").replaceWith(Object.assign(isGroup ? el("span", "avatar group", "#") : avatar(chat.id, chat.title), { id: "chat-avatar" }));
  $("#chat-title").textContent = chat.title;
  $("#chat-subtitle").textContent = isGroup
    ? `${chat.members.length} members · ${state.bot.name} is here`
    : [roleLabel(person && person.role), person && person.team, person && person.username && `@${person.username}`].filter(Boolean).join(" · ");
  const speakerBox = $("#speaker-box");
  speakerBox.hidden = !isGroup;
  if (isGroup) {
    const select = $("#speaker");
    select.replaceChildren(...chat.members.map((m) => {
      const p = state.people.get(m.id);
      const option = el("option", "", `${m.name} (${roleLabel(p && p.role)})`);
      option.value = String(m.id);
      return option;
    }));
    select.value = String(state.speaker);
  }
  renderClock();
}

function messageContext() {
  return {
    viewerId: state.speaker, isGroup: state.chat.type !== "private", zone: state.chat.timezone,
    onTap: tap, onCommand: (command) => send(command), onLink: interceptLink, onUrlButton: openUrl,
    onReply: (message) => { state.replyTo = { message, forced: false }; renderReply(); $("#text").focus(); },
    onUnsupported: (text) => toast(text),
    now: Date.parse(state.now) / 1000, onMoveLive: moveLive, onStopLive: stopLive,
  };
}

function renderAll(messages) {
  state.rows = new Map();
  state.messages = new Map();
  $("#messages").replaceChildren();
  for (const message of messages) applyMessage("new", message, false);
}

function applyMessage(kind, message, live = true) {
  const id = message.message_id;
  const existing = state.rows.get(id);
  if (kind === "deleted" || message.deleted) {
    if (existing) existing.remove();
    state.rows.delete(id);
    state.messages.delete(id);
    return;
  }
  state.messages.set(id, message);
  const row = renderMessage(message, messageContext());
  if (existing) existing.replaceWith(row);
  else {
    const later = [...$("#messages").children].find((r) => Number(r.dataset.messageId) > id);
    if (later) later.before(row);
    else $("#messages").append(row);
  }
  state.rows.set(id, row);
  if (live && kind === "new") {
    if (message.from_bot) noteMarkup(message);
    scrollToEnd(message.sender.id === state.speaker);
  }
}

/** The clock moved: live locations whose period ran out lose their Move and Stop buttons. */
function refreshLive() {
  if (state.loading) return;
  for (const message of state.messages.values()) {
    if (message.live_until) applyMessage("edited", message, false);
  }
}

function noteMarkup(message) {
  const markup = message.reply_markup || {};
  if (markup.keyboard) {
    state.keyboard = markup;
    state.keyboardHidden = false;
  } else if (markup.remove_keyboard) state.keyboard = null;
  if (markup.force_reply) state.replyTo = { message, forced: true, placeholder: markup.input_field_placeholder };
  renderKeyboard();
  renderReply();
}

function scrollToEnd(force) {
  const box = $("#messages");
  if (force || box.scrollHeight - box.scrollTop - box.clientHeight < 160) box.scrollTop = box.scrollHeight;
}

function renderReply() {
  const bar = $("#reply-bar");
  const reply = state.replyTo;
  bar.hidden = !reply;
  if (reply) {
    const m = reply.message;
    bar.querySelector(".who").textContent = `Reply to ${m.sender.name}`;
    bar.querySelector(".what").textContent = m.text || m.caption || "message";
  }
  const markup = state.keyboard;
  $("#text").placeholder = (reply && reply.placeholder) || (markup && markup.input_field_placeholder) || "Message";
}

function renderKeyboard() {
  const box = $("#reply-keyboard");
  const markup = state.keyboard;
  $("#keyboard-toggle").hidden = !markup;
  box.replaceChildren();
  box.hidden = !markup || state.keyboardHidden;
  if (box.hidden) return;
  for (const row of markup.keyboard) {
    const line = el("div", "keyboard-row");
    for (const raw of row) {
      const button = typeof raw === "string" ? { text: raw } : raw;
      const node = el("button", "reply-button", button.text);
      node.type = "button";
      node.dataset.testid = "reply-button";
      node.addEventListener("click", () => pressReplyButton(button, markup));
      line.append(node);
    }
    box.append(line);
  }
}

async function pressReplyButton(button, markup) {
  if (markup.one_time_keyboard) {
    state.keyboardHidden = true;
    renderKeyboard();
  }
  if (button.request_location) return shareLocation(false); // the current place, never live
  if (button.request_contact) return shareContact();
  if (button.request_users || button.request_chat || button.request_poll || button.web_app) {
    return toast(`“${button.text}” needs a Telegram app; the sandbox cannot do it`);
  }
  return send(button.text);
}

// ----- acting -----

function send(text) {
  const body = { user: state.speaker, text };
  if (state.replyTo) body.reply_to = state.replyTo.message.message_id;
  state.replyTo = null;
  renderReply();
  return attempt(() => post(chatPath(state.chatId, "messages"), body));
}

async function tap(message, data) {
  const result = await attempt(() =>
    post(chatPath(message.chat_id, "tap"), { user: state.speaker, message_id: message.message_id, data }));
  const answer = result && result.answer;
  if (answer && answer.text) (answer.show_alert ? alertBox : toast)(answer.text);
  if (answer && answer.url) openUrl(answer.url);
}

async function shareLocation(allowLive) {
  const [chatId, speaker] = [state.chatId, state.speaker];
  const point = await attempt(() => pickLocation(speaker, { chatId, allowLive }));
  if (point) await attempt(() => post(chatPath(chatId, "location"), { user: speaker, ...point }));
}

async function moveLive(message) {
  const [chatId, speaker] = [message.chat_id, state.speaker];
  const point = await attempt(() => pickLocation(speaker, { chatId, from: message.location }));
  if (!point) return;
  const { latitude, longitude, accuracy } = point;
  await attempt(() => post(chatPath(chatId, `live/${message.message_id}`), {
    user: speaker, latitude, longitude, accuracy,
  }));
}

function stopLive(message) {
  return attempt(() => post(chatPath(message.chat_id, `live/${message.message_id}/stop`), { user: state.speaker }));
}

async function shareContact() {
  const [chatId, speaker] = [state.chatId, state.speaker];
  const phone = await askPhone(speaker);
  if (phone) await attempt(() => post(chatPath(chatId, "contact"), { user: speaker, phone_number: phone }));
}

async function sendFile(kind, input) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  const caption = $("#text").value.trim();
  $("#text").value = "";
  await attempt(() => upload(chatPath(state.chatId, kind), { user: state.speaker, caption }, file));
}

function deepLinkStart(href) {
  try {
    const url = new URL(href);
    const bot = state.bot.username.toLowerCase();
    const onWeb = ["t.me", "telegram.me", "www.t.me"].includes(url.hostname) && url.pathname.slice(1).toLowerCase() === bot;
    const onTg = url.protocol === "tg:" && (url.searchParams.get("domain") || "").toLowerCase() === bot;
    return onWeb || onTg ? url.searchParams.get("start") || "" : null;
  } catch {
    return null;
  }
}

function interceptLink(href) {
  const start = deepLinkStart(href);
  if (start === null) return false;
  openInvite(href, start);
  return true;
}

function openUrl(url) {
  if (interceptLink(url)) return;
  const href = safeUrl(url);
  if (href) window.open(href, "_blank", "noopener");
}

/** A t.me link to the bot opens its chat; START sends "/start <payload>", like Telegram. */
async function openInvite(href, start) {
  const choice = await askOpener(href, [...state.people.values()], state.languages);
  if (!choice) return;
  let personId = choice.person;
  if (!personId) {
    const person = await attempt(() => post("/api/people", choice));
    if (!person) return;
    personId = person.id;
    await loadState();
  }
  await openChat(personId, personId);
  await send(start ? `/start ${start}` : "/start");
}

// ----- composer -----

async function showMenu(filter = null) {
  const menu = $("#command-menu");
  if (filter === null && !menu.hidden) {
    menu.hidden = true;
    return;
  }
  const { commands } = await get(chatPath(state.chatId, "menu"), { user: state.speaker });
  if (filter !== null && $("#text").value !== filter) return; // typed on, or sent meanwhile
  const shown = commands.filter((c) => filter === null || `/${c.command}`.startsWith(filter));
  menu.replaceChildren(...shown.map((c) => {
    const item = el("button", "command-item");
    item.type = "button";
    item.dataset.testid = "command-item";
    item.append(el("span", "name", `/${c.command}`), el("span", "description", c.description));
    item.addEventListener("click", () => {
      menu.hidden = true;
      $("#text").value = "";
      send(`/${c.command}`);
    });
    return item;
  }));
  menu.hidden = !shown.length;
}

function wireComposer() {
  const text = $("#text");
  $("#composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value || !state.chatId) return;
    text.value = "";
    $("#command-menu").hidden = true;
    send(value);
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("#composer").requestSubmit();
    }
  });
  text.addEventListener("input", () => {
    const value = text.value;
    if (/^\/\w*$/.test(value)) showMenu(value);
    else $("#command-menu").hidden = true;
  });
  $("#menu-button").addEventListener("click", () => showMenu());
  $("#attach-button").addEventListener("click", () => { $("#attach-menu").hidden = !$("#attach-menu").hidden; });
  $("#attach-menu").addEventListener("click", (event) => {
    const kind = event.target.closest("[data-attach]")?.dataset.attach;
    $("#attach-menu").hidden = true;
    if (kind === "location") shareLocation(true);
    if (kind === "photo") $("#photo-input").click();
    if (kind === "file") $("#file-input").click();
    if (kind === "voice") $("#voice-input").click();
  });
  $("#photo-input").addEventListener("change", () => sendFile("photo", $("#photo-input")));
  $("#file-input").addEventListener("change", () => sendFile("document", $("#file-input")));
  $("#voice-input").addEventListener("change", () => sendFile("voice", $("#voice-input")));
  $("#keyboard-toggle").addEventListener("click", () => { state.keyboardHidden = !state.keyboardHidden; renderKeyboard(); });
  $("#reply-cancel").addEventListener("click", () => { state.replyTo = null; renderReply(); });
  $("#speaker").addEventListener("change", () => {
    state.speaker = Number($("#speaker").value);
    history.replaceState(null, "", `#chat=${state.chatId}&as=${state.speaker}`);
    openChat(state.chatId, state.speaker);
  });
  for (const button of document.querySelectorAll("[data-advance]")) {
    button.addEventListener("click", () => moveClock({ advance_minutes: Number(button.dataset.advance) }));
  }
  $("#clock-pick").addEventListener("click", async () => {
    const moment = await pickMoment(state.now, clockZone());
    if (moment) await moveClock({ to: moment, timezone: clockZone() });
  });
  $("#add-newcomer").addEventListener("click", async () => {
    const answer = await askNewcomer(state.languages);
    const person = answer && (await attempt(() => post("/api/people", answer)));
    if (person) {
      await loadState();
      await openChat(person.id, person.id);
    }
  });
  $("#alert-dialog").querySelector("button").addEventListener("click", () => $("#alert-dialog").close());
  document.addEventListener("click", (event) => {
    for (const [popup, opener] of [["#attach-menu", "#attach-button"], ["#command-menu", "#menu-button"]]) {
      if (!event.target.closest(`${popup}, ${opener}, #text`)) $(popup).hidden = true;
    }
  });
}

// ----- live events -----

async function onEvent(event) {
  if (event.type === "hello") {
    await loadState();
    const params = new URLSearchParams(location.hash.slice(1));
    const known = (id) => state.people.has(id) || state.groups.has(id);
    const asked = Number(params.get("chat"));
    const chatId = state.chatId ?? (known(asked) ? asked : [...state.people.keys()][0]);
    const group = state.groups.get(chatId);
    const wanted = state.speaker ?? Number(params.get("as"));
    const speaker = !group ? chatId : group.members.includes(wanted) ? wanted : defaultSpeaker(chatId);
    await openChat(chatId, speaker);
    document.body.dataset.ready = "true";
  } else if (event.type === "message") {
    const { message } = event;
    if (message.chat_id !== state.chatId) {
      if (event.event === "new") {
        state.unread.set(message.chat_id, (state.unread.get(message.chat_id) || 0) + 1);
        renderSidebar();
      }
    } else if (state.loading) state.buffered.push([event.event, message]);
    else applyMessage(event.event, message);
  } else if (event.type === "clock") {
    setNow(event.now);
    refreshLive();
  }
  else if (event.type === "jobs") reportJobs(event);
  else if (event.type === "people") await loadState();
}

function connect() {
  const source = new EventSource("/api/events");
  let queue = Promise.resolve();
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    queue = queue.then(() => onEvent(event)).catch((error) => toast(error.message, "error"));
  };
  source.onerror = () => document.body.classList.add("offline");
  source.onopen = () => document.body.classList.remove("offline");
}

wireComposer();
connect();
