// Loaded as a module, so it runs only in browsers GOV.UK Frontend supports.
// It replaces the inline snippet from GOV.UK's template (our CSP forbids inline script).
import { initAll } from "/static/build/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
