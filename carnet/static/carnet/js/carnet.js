// Carnet's own script: small progressive enhancements only; every page works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Close the "Me" menu when clicking elsewhere.
  document.addEventListener("click", (event) => {
    document.querySelectorAll(".menu details[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
});

// Escape closes an open "Me" menu and gives focus back to its toggle.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll(".menu details[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary")?.focus();
  });
});
