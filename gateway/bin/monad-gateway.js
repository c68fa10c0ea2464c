#!/usr/bin/env node
// Thin launcher: the CLI is compiled from gateway/src at install time (npm "prepare").
import("../dist/cli/main.js").then((m) => m.main(process.argv.slice(2))).catch((err) => {
  process.stderr.write(`monad-gateway: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
