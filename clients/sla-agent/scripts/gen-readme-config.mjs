#!/usr/bin/env node
// Writes the configuration reference into clients/sla-agent/README.md (between the markers), from
// the schema. After a build:  node clients/sla-agent/scripts/gen-readme-config.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CONFIG_REFERENCE_BEGIN, CONFIG_REFERENCE_END, configReference } from "../dist/index.js";

const file = fileURLToPath(new URL("../README.md", import.meta.url));
const text = readFileSync(file, "utf8");
const from = text.indexOf(CONFIG_REFERENCE_BEGIN);
const to = text.indexOf(CONFIG_REFERENCE_END);
if (from < 0 || to < from) throw new Error(`${file} lacks the markers ${CONFIG_REFERENCE_BEGIN} … ${CONFIG_REFERENCE_END}`);
writeFileSync(file, `${text.slice(0, from + CONFIG_REFERENCE_BEGIN.length)}\n${configReference()}\n${text.slice(to)}`);
console.log(`config reference written to ${file}`);
