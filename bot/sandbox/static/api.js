// The sandbox's JSON API. Every write carries the header the server requires, which a
// cross-site form cannot send — so another web page cannot drive the sandbox.

const ACTION_HEADER = { "X-FieldCRM-Sandbox": "1" };

export class ApiError extends Error {}

async function parse(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError((body && body.error) || `${response.status} ${response.statusText}`);
  }
  return body;
}

export async function get(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  return parse(await fetch(query ? `${path}?${query}` : path, { cache: "no-store" }));
}

export async function post(path, body) {
  return parse(
    await fetch(path, {
      method: "POST",
      headers: { ...ACTION_HEADER, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

export async function upload(path, fields, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== null && value !== undefined) form.append(name, String(value));
  }
  form.append("file", file, file.name);
  return parse(await fetch(path, { method: "POST", headers: ACTION_HEADER, body: form }));
}

export function fileUrl(fileId, download = false) {
  const url = `/api/files/${encodeURIComponent(fileId)}`;
  return download ? `${url}?download=1` : url;
}

export const chatPath = (chatId, action = "") =>
  `/api/chats/${encodeURIComponent(chatId)}${action ? `/${action}` : ""}`;
