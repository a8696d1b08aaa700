// The left column: the admin, each team with its group chat and people, then newcomers.

import { avatar, el } from "./messages.js";
import { $, roleLabel, state } from "./state.js";

/** Draw the roster; `onOpen(chatId, speaker)` opens a chat. */
export function renderSidebar(onOpen) {
  const sections = new Map();
  const section = (key, title, zone) => {
    if (!sections.has(key)) sections.set(key, { title, zone, group: null, people: [] });
    return sections.get(key);
  };
  section("admin", "Admin");
  for (const group of state.groups.values()) section(`team:${group.team}`, group.team, group.timezone).group = group;
  for (const person of state.people.values()) {
    const key = person.role === "admin" ? "admin" : person.team ? `team:${person.team}` : "none";
    section(key, person.team || "Not in a team yet", person.timezone).people.push(person);
  }
  const nav = $("#people");
  nav.replaceChildren();
  for (const { title, zone, group, people } of sections.values()) {
    if (!group && !people.length) continue;
    const box = el("section", "roster");
    const heading = el("h2", "", title);
    if (zone && group) heading.append(el("small", "", zone));
    box.append(heading);
    if (group) box.append(entry(group.id, group.title, `group · ${group.members.length} members`, `group-${group.id}`, true, onOpen));
    for (const p of people) {
      const line = p.newcomer && !p.role ? "new to the bot" : roleLabel(p.role);
      box.append(entry(p.id, p.name, line, `person-${p.id}`, false, onOpen));
    }
    nav.append(box);
  }
}

function entry(chatId, name, line, testid, isGroup, onOpen) {
  const button = el("button", "entry");
  button.type = "button";
  button.dataset.chat = String(chatId);
  button.dataset.testid = testid;
  button.classList.toggle("active", chatId === state.chatId);
  const face = isGroup ? el("span", "avatar group", "#") : avatar(chatId, name);
  const text = el("span", "entry-text");
  text.append(el("span", "entry-name", name), el("span", "entry-line", line));
  button.append(face, text);
  const count = state.unread.get(chatId);
  if (count) button.append(el("span", "badge", count));
  button.addEventListener("click", () => onOpen(chatId, isGroup ? defaultSpeaker(chatId) : chatId));
  return button;
}

/** Who speaks when a group opens: whoever was acting, if a member, else its creator. */
export function defaultSpeaker(groupId) {
  const members = state.groups.get(groupId).members;
  return members.includes(state.speaker) ? state.speaker : members[0];
}
