// Keeps an archive import's progress page current (loaded by that page while the
// import runs). Progressive enhancement only: without it, the "Refresh" link and the
// browser's own reload show the same counts.
const region = document.querySelector("[data-import-progress]");

if (region) {
  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      // The page is our own server-rendered template, escaped there.
      const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
      const incoming = parsed.querySelector("[data-import-progress]");
      if (!incoming || incoming.dataset.importProgress !== "active") {
        window.location.reload(); // finished or stopped: show the preview and its buttons
        return;
      }
      region.replaceChildren(...incoming.childNodes);
    } finally {
      setTimeout(poll, 3000);
    }
  };
  setTimeout(poll, 3000);
}
