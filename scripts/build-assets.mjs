// Builds static/build/ from npm packages: our Sass (with GOV.UK Frontend) to CSS,
// and GOV.UK Frontend's JavaScript and images copied beside it. Never committed.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";

const out = "static/build";
mkdirSync(out, { recursive: true });

const result = compile("static/scss/app.scss", {
  loadPaths: ["node_modules"],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(`${out}/app.css`, result.css);

const govuk = "node_modules/govuk-frontend/dist/govuk";
cpSync(`${govuk}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
cpSync(`${govuk}/assets/images`, `${out}/images`, { recursive: true });
console.log(`Built ${out}/app.css and copied GOV.UK Frontend assets.`);
