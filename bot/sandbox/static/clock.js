// The sandbox clock: shown in the open chat's team zone, moved forward on request. Moving it
// runs every scheduled job once on the server; the result arrives as a "jobs" event.

import { post } from "./api.js";
import { attempt, toast } from "./dialogs.js";
import { formatTime } from "./messages.js";
import { $, state } from "./state.js";

export function setNow(iso) {
  state.now = iso;
  renderClock();
}

export function clockZone() {
  return (state.chat && state.chat.timezone) || state.defaultZone;
}

export function renderClock() {
  if (!state.now) return;
  $("#clock-time").textContent = formatTime(Date.parse(state.now) / 1000, clockZone(), true);
  $("#clock-time").dataset.iso = state.now;
  $("#clock-zone").textContent = clockZone();
}

export async function moveClock(body) {
  const buttons = document.querySelectorAll("#clock button");
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const result = await attempt(() => post("/api/clock", body));
    if (result) setNow(result.now);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}

export function reportJobs(event) {
  const failed = event.jobs.filter((j) => j.error);
  toast(`Time is now ${formatTime(Date.parse(event.now) / 1000, clockZone(), true)}; ran ${event.jobs.length} scheduled jobs`);
  for (const job of failed) toast(`Job ${job.job} failed: ${job.error}`, "error");
}
