#!/usr/bin/env node
// Builds the dashboard page into gateway/dist/dashboard/ (index.html, dashboard.js, dashboard.css with
// uPlot's CSS, source maps), which the gateway serves at /dashboard/. Typechecks the page first
// (gateway/dashboard/tsconfig.json: DOM types, no Node), bundles with esbuild (minified), and fails
// with the compiler's messages on any error. Needs no network.
//
//   node gateway/scripts/build-dashboard.mjs [outdir] [--no-typecheck]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const GATEWAY = fileURLToPath(new URL("..", import.meta.url));
const SOURCE = join(GATEWAY, "dashboard");
export const DEFAULT_OUTDIR = join(GATEWAY, "dist", "dashboard");

/** Runs tsc on the page; returns its output when it finds errors, "" when clean. */
export function typecheckDashboard() {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(SOURCE, "tsconfig.json")], { encoding: "utf8" });
  if (r.error) return `cannot run tsc: ${r.error.message}`;
  return r.status === 0 ? "" : `${r.stdout}${r.stderr}`.trim() || `tsc exited with ${r.status}`;
}

/**
 * Bundles into a fresh folder next to `outdir`, then swaps it in, so a running gateway that (re)loads
 * the bundle never sees half of it. Returns the files written with their sizes.
 */
export async function buildDashboard(outdir = DEFAULT_OUTDIR) {
  const staging = `${outdir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const result = await build({
      entryPoints: { dashboard: join(SOURCE, "src", "main.ts") },
      outdir: staging,
      bundle: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome100", "firefox100", "safari15"],
      minify: true,
      sourcemap: "linked",
      metafile: true,
      legalComments: "eof",
      logLevel: "silent",
    });
    const problems = [];
    for (const [input, info] of Object.entries(result.metafile.inputs)) {
      // The SDK's package.json maps `ws` to nothing for browsers: the native WebSocket is used.
      if (/node_modules[\\/]ws[\\/]/.test(input) && !input.startsWith("(disabled):")) problems.push(`bundles the ws package (${input})`);
      for (const imp of info.imports ?? []) if (imp.external || imp.path.startsWith("node:")) problems.push(`${input} imports ${imp.path}`);
    }
    if (problems.length > 0) throw new Error(`the dashboard bundle is not browser-clean:\n  ${problems.join("\n  ")}`);
    const page = readFileSync(join(SOURCE, "index.html"), "utf8");
    for (const asset of ["dashboard.js", "dashboard.css"]) {
      if (!page.includes(`"${asset}"`)) throw new Error(`gateway/dashboard/index.html does not reference ${asset}`);
      if (!existsSync(join(staging, asset))) throw new Error(`esbuild wrote no ${asset}`);
    }
    writeFileSync(join(staging, "index.html"), page);
    const old = `${outdir}.old-${process.pid}`;
    mkdirSync(dirname(outdir), { recursive: true });
    if (existsSync(outdir)) renameSync(outdir, old);
    renameSync(staging, outdir);
    rmSync(old, { recursive: true, force: true });
    const sizes = {};
    for (const name of ["index.html", "dashboard.js", "dashboard.css"]) {
      const body = readFileSync(join(outdir, name));
      sizes[name] = { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
    }
    return sizes;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** esbuild's errors carry locations; print them like a compiler would. */
function describe(err) {
  if (Array.isArray(err?.errors) && err.errors.length > 0)
    return err.errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join("\n");
  return err instanceof Error ? err.message : String(err);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const outdir = args.find((a) => !a.startsWith("--")) ?? DEFAULT_OUTDIR;
  if (!args.includes("--no-typecheck")) {
    const errors = typecheckDashboard();
    if (errors) {
      process.stderr.write(`dashboard: type errors (gateway/dashboard/tsconfig.json):\n${errors}\n`);
      process.exit(1);
    }
  }
  try {
    const sizes = await buildDashboard(outdir);
    const line = Object.entries(sizes).map(([name, s]) => `${name} ${(s.bytes / 1024).toFixed(1)} KiB (gzip ${(s.gzip / 1024).toFixed(1)})`).join(", ");
    process.stdout.write(`dashboard → ${outdir}: ${line}\n`);
  } catch (err) {
    process.stderr.write(`dashboard: build failed:\n${describe(err)}\n`);
    process.exit(1);
  }
}
