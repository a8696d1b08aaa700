// What every part of the page shares: the sandbox as last read, and the open chat.

export const $ = (selector) => document.querySelector(selector);

const ROLE_LABEL = {
  admin: "admin", manager: "manager", rep: "sales rep", agent: "service agent", customer: "customer",
};
export const roleLabel = (role) => ROLE_LABEL[role] || "no role yet";

export const state = {
  bot: null, now: null, defaultZone: "UTC", languages: [], people: new Map(), groups: new Map(),
  chatId: null, speaker: null, chat: null, rows: new Map(), messages: new Map(), loading: false, buffered: [],
  keyboard: null, keyboardHidden: false, replyTo: null, unread: new Map(),
};
