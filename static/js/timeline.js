// The timeline: apply filters and turn pages without reloading the whole page. The
// server renders the results (escaped) and the address keeps every filter, so a view
// can be shared; without JavaScript the form and links work as ordinary requests.
(function () {
  "use strict";
  const form = document.getElementById("timeline-filters");
  const results = document.getElementById("timeline-results");
  if (!form || !results || !window.fetch) return;

  function load(url, push) {
    const target = new URL(url, window.location.href);
    if (target.origin !== window.location.origin) return;
    const partial = new URL(target);
    partial.searchParams.set("partial", "1");
    results.setAttribute("aria-busy", "true");
    fetch(partial, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        if (push) window.history.pushState({}, "", target.pathname + target.search);
      })
      .catch(function () { window.location.assign(target.href); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) { if (!params.get(key)) params.delete(key); });
    load(form.action + (params.toString() ? "?" + params.toString() : ""), true);
  });
  results.addEventListener("click", function (event) {
    const link = event.target.closest(".pagination a");
    if (!link) return;
    event.preventDefault();
    load(link.href, true);
    results.scrollIntoView();
  });
  window.addEventListener("popstate", function () { load(window.location.href, false); });
})();
