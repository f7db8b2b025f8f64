// The plain-English check as the author types a post (loaded by the new-thread, reply,
// edit and thread pages). Progressive enhancement only: without this script "Preview"
// shows the same advice (forums/writing_check.py).
const WAIT_MS = 800;

for (const region of document.querySelectorAll(".app-writing-check")) {
  const form = region.closest("form");
  const body = form?.querySelector('textarea[name="body"]');
  const token = form?.querySelector('input[name="csrfmiddlewaretoken"]');
  if (!body || !token) continue;

  const endpoint = region.dataset.writingCheckUrl;
  let timer;
  let controller;
  let lastAsked = body.value;

  const show = (nodes) => {
    // The preview's own advice is out of date once the text changes: one check at a time.
    form.querySelector("#preview .app-plain-english")?.remove();
    const incoming = document.createElement("div");
    incoming.append(...nodes);
    // The region is announced on every change: leave it alone when nothing changed.
    if (incoming.innerHTML !== region.innerHTML) region.replaceChildren(...incoming.childNodes);
  };

  const refresh = async () => {
    const text = body.value;
    if (text === lastAsked) return;
    lastAsked = text;
    controller?.abort();
    controller = new AbortController();
    const data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    data.append("body", text);
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        body: data,
        signal: controller.signal,
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      // 400 says why the text cannot be checked (too long); anything else leaves the advice as it was.
      if (!response.ok && response.status !== 400) return;
      // The fragment is our own server-rendered template, escaped there.
      const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
      show(parsed.body.childNodes);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  };

  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, WAIT_MS);
  });
}
