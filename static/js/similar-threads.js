// Similar questions while typing a new thread's title (loaded by the new-thread page).
// Progressive enhancement only: without this script the "Check for similar questions"
// button reloads the form with the same suggestions.
const box = document.querySelector(".app-similar-threads");
const title = box?.closest("form")?.querySelector('input[name="title"]');

if (box && title) {
  const endpoint = box.dataset.similarUrl || "/search/similar/";
  let region = box.querySelector(".app-similar-threads__results");
  if (!region) {
    region = document.createElement("div");
    region.className = "app-similar-threads__results";
    region.setAttribute("aria-live", "polite");
    box.append(region);
  }
  let timer;
  let controller;
  let lastAsked = "";

  const refresh = async () => {
    const text = title.value.trim();
    if (text.length < 8 || text === lastAsked) return;
    lastAsked = text;
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`${endpoint}?title=${encodeURIComponent(text)}`, {
        signal: controller.signal,
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      // The fragment is our own server-rendered template, escaped there.
      const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
      const incoming = parsed.querySelector(".app-similar-threads__results");
      region.replaceChildren(...(incoming ? incoming.childNodes : []));
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  };

  title.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
}
