// Result rows, in the format of bench/results/*.json: {name, value, unit, peer, ratio, conditions}.
// A measure taken for our gateway and for peers in the same run gives one row per peer for ours
// (value = ours, ratio = ours / that peer) and one reference row per peer (peer and ratio null).
import { SERVER_NAMES } from "./servers.mjs";

/** results: [{ server, value, conditions }] for one measure, ours among them or not. */
export function comparisonRows(measure, unit, results) {
  const ours = results.find((r) => r.server === "ours");
  const rows = [];
  for (const r of results) {
    if (r.server === "ours") continue;
    if (ours) rows.push(row(`${measure}: ${SERVER_NAMES.ours}`, ours.value, unit, SERVER_NAMES[r.server], ratio(ours.value, r.value), ours.conditions));
  }
  if (ours && rows.length === 0) rows.push(row(`${measure}: ${SERVER_NAMES.ours}`, ours.value, unit, null, null, ours.conditions));
  for (const r of results) if (r.server !== "ours") rows.push(row(`${measure}: ${SERVER_NAMES[r.server]}`, r.value, unit, null, null, r.conditions));
  return rows;
}

/**
 * A measure of each server's trial that is not the server's own doing (e.g. the latency floor): one
 * row per server, no ratio (it would compare nothing between servers).
 */
export function perTrialRows(measure, unit, results) {
  return results.map((r) => row(`${measure}: ${SERVER_NAMES[r.server]}`, r.value, unit, null, null, r.conditions));
}

export function row(name, value, unit, peer = null, ratioValue = null, conditions = "") {
  return { name, value, unit, peer, ratio: ratioValue, conditions };
}

function ratio(a, b) {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return Number((a / b).toFixed(2));
}

/** Markdown table of rows (ratios as "0.85x vs <peer>"). */
export function markdownTable(rows) {
  const lines = ["| measure | value | unit | ratio | conditions |", "|---|---:|---|---|---|"];
  for (const r of rows) {
    const v = typeof r.value === "number" ? r.value.toLocaleString("en-US", { maximumFractionDigits: 2 }) : String(r.value);
    const ratioText = r.ratio === null ? "" : `${r.ratio}x vs ${r.peer}`;
    lines.push(`| ${r.name} | ${v} | ${r.unit} | ${ratioText} | ${r.conditions} |`);
  }
  return lines.join("\n");
}

/** Which load generator measured a trial's fleets (bench/load/fleet.mjs `client`). */
export function loadGenerators(t) {
  const names = { c: "C wsload", node: "Node client.mjs" };
  return [...new Set(Object.values(t.fleets).map((f) => names[f.client] ?? f.client))].join(" + ");
}

/** Conditions text shared by rows of one trial. */
export function trialConditions(t, extra) {
  const rate = Math.round(t.ringEventsPerS).toLocaleString("en-US");
  return `${extra}; load generator ${loadGenerators(t)}; ${t.source}, measured ring ${rate} events/s; ${t.windowS.toFixed(1)} s window; server CPU ${(t.serverCpu * 100).toFixed(0)}%${t.cpu ? ` (user ${(t.cpu.serverUser * 100).toFixed(0)}%, kernel ${(t.cpu.serverSystem * 100).toFixed(0)}%), machine idle ${(t.cpu.machine.idle * 100).toFixed(0)}% of a core` : ""}; Node ${process.version}, 2-core shared machine, load average ${t.loadAvg.toFixed(1)}`;
}

export const MB = 1024 * 1024;
