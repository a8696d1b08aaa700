// The little windows around the chat: toasts and alerts (callback answers), the location
// picker, the clock, a new person, opening an invite link, sharing a phone number.

import { get } from "./api.js";
import { el } from "./messages.js";

const $ = (selector) => document.querySelector(selector);

export function toast(text, kind = "info") {
  const node = el("div", `toast ${kind}`, text);
  node.dataset.testid = "toast";
  node.setAttribute("role", kind === "error" ? "alert" : "status");
  $("#toasts").append(node);
  setTimeout(() => node.classList.add("leaving"), 3600);
  setTimeout(() => node.remove(), 4000);
}

/** Run an action; a failure becomes a red toast instead of an unhandled rejection. */
export async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    toast(error.message, "error");
    return null;
  }
}

export function alertBox(text) {
  const dialog = $("#alert-dialog");
  dialog.querySelector("p").textContent = text;
  dialog.showModal();
}

/** Open a dialog whose form resolves with its FormData, or null when cancelled. */
function ask(dialog, onSubmit) {
  return new Promise((resolve) => {
    const form = dialog.querySelector("form");
    const finish = (value) => {
      form.removeEventListener("submit", submit);
      dialog.removeEventListener("close", closed);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const submit = async (event) => {
      event.preventDefault();
      const value = onSubmit ? await onSubmit(form) : new FormData(form);
      if (value !== undefined) finish(value);
    };
    const closed = () => finish(null);
    form.addEventListener("submit", submit);
    dialog.addEventListener("close", closed);
    for (const cancel of dialog.querySelectorAll("[data-cancel]")) cancel.onclick = () => dialog.close();
    dialog.showModal();
  });
}

// ----- location -----

/** The place nearest to a point (a moving live location starts from the closest customer). */
function nearest(places, point) {
  const far = (p) => (p.latitude - point.latitude) ** 2
    + ((p.longitude - point.longitude) * Math.cos((point.latitude * Math.PI) / 180)) ** 2;
  return places.reduce((best, p) => (best === null || far(p) < far(best) ? p : best), null);
}

/**
 * Ask where to be; resolves {latitude, longitude, accuracy, live_period} or null.
 * chatId: the chat it goes to (the customer its last bot message names is pre-selected);
 * allowLive: offer "Share live for N minutes" (📎, not a request_location button);
 * from: the live location being moved ({latitude, longitude}), to start near it.
 */
export async function pickLocation(personId, { chatId = null, allowLive = false, from = null } = {}) {
  const dialog = $("#location-dialog");
  const form = dialog.querySelector("form");
  dialog.querySelector("h2").textContent = from ? "Move your live location" : "Share location";
  form.querySelector("[data-testid=location-send]").textContent = from ? "Move here" : "Send location";
  form.querySelector(".live-choice").hidden = !allowLive || Boolean(from);
  form.elements.live.checked = false;
  const place = form.elements.place;
  const distance = form.elements.distance;
  let base = null;
  let pending = Promise.resolve();
  let serial = 0;

  const showDistance = () => {
    form.querySelector("output").textContent = `${Number(distance.value).toFixed(1)} km`;
  };
  const recompute = () => {
    showDistance();
    if (!base) return pending;
    const mine = ++serial;
    pending = get("/api/geo/offset", {
      latitude: base.latitude,
      longitude: base.longitude,
      distance_km: distance.value,
      bearing: form.elements.bearing.value,
    }).then((point) => {
      if (mine !== serial) return;
      form.elements.latitude.value = point.latitude.toFixed(6);
      form.elements.longitude.value = point.longitude.toFixed(6);
    });
    return pending;
  };
  const choosePlace = () => {
    const option = place.selectedOptions[0];
    base = option && option.dataset.latitude
      ? { latitude: Number(option.dataset.latitude), longitude: Number(option.dataset.longitude) }
      : null;
    return recompute();
  };

  place.replaceChildren();
  distance.value = "0";
  showDistance();
  const { places, suggested } = await get(
    `/api/people/${personId}/places`, chatId === null ? {} : { chat: chatId },
  );
  if (!places.length) place.append(el("option", "", "No customer with a location — type coordinates"));
  for (const p of places) {
    const option = el("option", "", p.address ? `${p.name} — ${p.address}` : p.name);
    option.value = String(p.customer_id);
    option.dataset.latitude = String(p.latitude);
    option.dataset.longitude = String(p.longitude);
    place.append(option);
  }
  place.onchange = choosePlace;
  distance.oninput = recompute;
  form.elements.bearing.onchange = recompute;
  for (const preset of form.querySelectorAll("[data-distance]")) {
    preset.onclick = () => {
      distance.value = preset.dataset.distance;
      recompute();
    };
  }
  for (const name of ["latitude", "longitude"]) form.elements[name].oninput = () => serial++;
  const start = from ? nearest(places, from) : places.find((p) => p.customer_id === suggested);
  if (start) place.value = String(start.customer_id);
  if (places.length) choosePlace();
  else {
    form.elements.latitude.value = "";
    form.elements.longitude.value = "";
  }

  return ask(dialog, async () => {
    await pending.catch(() => undefined);
    if (!form.reportValidity()) return undefined;
    const live = form.elements.live.checked && !form.querySelector(".live-choice").hidden;
    return {
      latitude: Number(form.elements.latitude.value),
      longitude: Number(form.elements.longitude.value),
      accuracy: form.elements.accuracy.value === "" ? null : Number(form.elements.accuracy.value),
      live_period: live ? Math.round(Number(form.elements.live_minutes.value) * 60) : null,
    };
  });
}

// ----- clock, people, links, contacts -----

/** Ask for a moment in `zone`; resolves "YYYY-MM-DDTHH:MM" (wall time in the zone) or null. */
export async function pickMoment(nowIso, zone) {
  const dialog = $("#clock-dialog");
  const form = dialog.querySelector("form");
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date(nowIso)).map((p) => [p.type, p.value]),
  );
  const local = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  form.elements.moment.value = local;
  form.elements.moment.min = local;
  dialog.querySelector(".zone").textContent = zone;
  const data = await ask(dialog);
  return data ? String(data.get("moment")) : null;
}

export async function askNewcomer(languages) {
  const dialog = $("#newcomer-dialog");
  const form = dialog.querySelector("form");
  form.reset();
  const select = form.elements.language;
  select.replaceChildren(...languages.map((code) => el("option", "", code)));
  const data = await ask(dialog);
  return data ? { name: String(data.get("name")), language: String(data.get("language")) } : null;
}

/** Who opens an invite link: resolves {person: id} or {name, language} for someone new. */
export async function askOpener(link, people, languages) {
  const dialog = $("#link-dialog");
  const form = dialog.querySelector("form");
  form.reset();
  dialog.querySelector(".link").textContent = link;
  const select = form.elements.opener;
  select.replaceChildren(el("option", "", "A new person (never used the bot)"));
  select.firstChild.value = "new";
  for (const person of people) {
    const option = el("option", "", `${person.name} — ${person.role || "no role"}`);
    option.value = String(person.id);
    select.append(option);
  }
  form.elements.language.replaceChildren(...languages.map((code) => el("option", "", code)));
  const newFields = dialog.querySelector(".new-person");
  select.onchange = () => {
    newFields.hidden = select.value !== "new";
    form.elements.name.required = select.value === "new";
  };
  select.onchange();
  const data = await ask(dialog);
  if (!data) return null;
  if (data.get("opener") !== "new") return { person: Number(data.get("opener")) };
  return { name: String(data.get("name")), language: String(data.get("language")) };
}

export async function askPhone(personId) {
  const dialog = $("#contact-dialog");
  const form = dialog.querySelector("form");
  form.elements.phone.value = `+8613${String(personId).slice(-9).padStart(9, "0")}`;
  const data = await ask(dialog);
  return data ? String(data.get("phone")) : null;
}
