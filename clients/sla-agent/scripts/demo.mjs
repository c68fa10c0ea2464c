#!/usr/bin/env node
// npm run demo:sla [-- --quick]: the whole SLA loop on a local devnet, narrated step by step.
import { runDemo } from "../dist/index.js";

const quick = process.argv.includes("--quick");
const started = Date.now();
try {
  const r = await runDemo({ quick });
  const ok = r.missedBreaches === 0 && r.duplicateRefunds === 0 && r.breachesProcessed.length > 0;
  console.log(`${ok ? "OK" : "FAILED"}: the loop ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = ok ? 0 : 1;
} catch (err) {
  console.error(`demo failed: ${err && err.message ? err.message : err}`);
  process.exitCode = 1;
}
