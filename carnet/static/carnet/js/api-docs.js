// Starts Swagger UI on /api/v1/docs. Its settings come from a JSON data block (never executed,
// so the Content-Security-Policy needs no inline script); the session's CSRF token is added
// to "Try it out" writes, which the API checks for session-authenticated requests.
document.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("swagger-ui");
  const settingsNode = document.getElementById("swagger-settings");
  if (!container || !settingsNode || typeof window.SwaggerUIBundle !== "function") return;
  const csrfToken = container.dataset.csrfToken;
  const settings = JSON.parse(settingsNode.textContent);
  window.ui = window.SwaggerUIBundle({
    ...settings,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    requestInterceptor: (request) => {
      if (csrfToken && !["GET", "HEAD", "OPTIONS"].includes((request.method || "GET").toUpperCase())) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
});
