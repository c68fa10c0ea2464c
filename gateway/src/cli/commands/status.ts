// `monad-gateway status`: a gateway's /v1/status, readable (or as JSON with --json).
import { parseArgs } from "node:util";
import { fetchStatus, stringifyJson, type StatusResponse } from "@monad-gateway/sdk";
import { UsageError } from "../usage-error.js";
import { styleFor, type Style } from "./tail-format.js";

export const statusUsage = `monad-gateway status [options]

Prints a gateway's state (GET /v1/status): health, latest block, clients, resume window, ring reader.

Options:
  --url <url>    gateway URL (default http://localhost:8443; ws:// URLs work too)
  --json         print the response body as JSON (exact integers)`;

export async function statusCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { url: { type: "string" }, json: { type: "boolean" } } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; status takes only options`, statusUsage);
  const url = values.url ?? "http://localhost:8443";
  if (!/^(wss?|https?):\/\/[^/]/.test(url)) throw new UsageError(`--url must be an http://, https://, ws:// or wss:// URL, got "${url}"`);
  const status = await fetchStatus(url);
  process.stdout.write(values.json ? `${stringifyJson(status)}\n` : formatStatus(url, status, styleFor(process.stdout)));
}

function duration(secs: number): string {
  const d = Math.floor(secs / 86_400);
  const h = Math.floor((secs % 86_400) / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = Math.floor(secs % 60);
  return [d ? `${d}d` : "", d || h ? `${h}h` : "", d || h || m ? `${m}m` : "", `${s}s`].filter(Boolean).join(" ");
}

export function formatStatus(url: string, st: StatusResponse, s: Style): string {
  const health = st.status === "healthy" ? s.green(st.status) : st.status === "degraded" ? s.yellow(st.status) : s.red(st.status);
  const buffered = st.newest_seqno === 0 ? "empty" : `${st.oldest_seqno}..${st.newest_seqno}`;
  const writer = st.ring.writer_pid === 0 ? "no writer" : `writer pid ${st.ring.writer_pid} ${st.ring.writer_alive ? s.green("alive") : s.red("gone")}`;
  const row = (k: string, v: string) => `${s.dim(k.padEnd(10))}${v}\n`;
  return (
    row("gateway", `${url}  ${s.bold(health)}`) +
    row("epoch", `${st.epoch}   up ${duration(st.uptime_secs)}`) +
    row("block", `${st.block_number}   last event ${st.last_event_age_secs.toFixed(1)} s ago`) +
    row("clients", `${st.connected_clients} connected   ${st.drops.frames} frames dropped, ${st.drops.clients_disconnected} slow clients disconnected`) +
    row("resume", `server_seqno ${st.server_seqno}, buffer ${buffered}`) +
    row("ring", st.ring.path) +
    row("", `${writer}   lag ${st.ring.lag_events} events   last seqno ${st.ring.last_seqno}`)
  );
}
