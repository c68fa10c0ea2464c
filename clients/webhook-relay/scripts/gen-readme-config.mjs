// Rewrites the config reference in clients/webhook-relay/README.md (between the markers) from the
// schema. Run after building the package:  node clients/webhook-relay/scripts/gen-readme-config.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configReference } from "../dist/config/config-reference.js";

const readme = fileURLToPath(new URL("../README.md", import.meta.url));
const BEGIN = "<!-- config-reference:begin (generated from src/config/config-schema.ts) -->";
const END = "<!-- config-reference:end -->";
const text = readFileSync(readme, "utf8");
const i = text.indexOf(BEGIN);
const j = text.indexOf(END);
if (i < 0 || j < i) throw new Error(`README.md lacks the markers ${BEGIN} ... ${END}`);
writeFileSync(readme, `${text.slice(0, i + BEGIN.length)}\n${configReference()}\n${text.slice(j)}`);
process.stdout.write(`updated the config reference in ${readme}\n`);
