// Builds the addon with the node-gyp that npm ships, against the headers of the Node that runs
// this script, so no header download is ever needed (CI reaches only the npm registry).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const prefix = path.dirname(path.dirname(process.execPath));
const args = ["rebuild"];
if (fs.existsSync(path.join(prefix, "include", "node", "node_api.h"))) args.push(`--nodedir=${prefix}`);

const candidates = [
  process.env.npm_config_node_gyp,
  path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
].filter(Boolean);
const gyp = candidates.find((p) => fs.existsSync(p));
const cmd = gyp ? process.execPath : "node-gyp";
const result = spawnSync(cmd, gyp ? [gyp, ...args] : args, { cwd: __dirname, stdio: "inherit" });
if (result.status !== 0) {
  console.error("@monad-gateway/native: building the addon failed (needs python3, make and a C compiler).");
  process.exit(result.status ?? 1);
}
