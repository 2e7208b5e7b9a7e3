// Profile editor: keep keyboard focus where the member was across htmx swaps (move up/down,
// save, cancel), so keyboard and screen-reader users do not fall back to the top of the page.
(() => {
  let lastFocusId = null;
  let lastTargetId = null;

  document.addEventListener("htmx:beforeRequest", (event) => {
    const active = document.activeElement;
    lastFocusId = active && active.id ? active.id : null;
    lastTargetId = event.detail.target && event.detail.target.id ? event.detail.target.id : null;
  });

  document.addEventListener("htmx:afterSettle", () => {
    const active = document.activeElement;
    if (active && active !== document.body) return; // htmx honoured an autofocus, or focus never left
    const previous = lastFocusId && document.getElementById(lastFocusId);
    if (previous && !previous.disabled) {
      previous.focus();
      return;
    }
    const card = lastTargetId && document.getElementById(lastTargetId);
    if (!card) return;
    const fallback = card.querySelector("button:not([disabled]), h1[tabindex], h2[tabindex]");
    if (fallback) fallback.focus();
  });
})();
