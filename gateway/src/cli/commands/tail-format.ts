// How `monad-gateway tail` prints: one readable line per event or frame (coloured on a terminal),
// or NDJSON with exact integers (--json).
import { stringifyJson, toBigInt, type ClientFrame, type ExecEvent, type Gap, type Int, type StreamFrame } from "@monad-gateway/sdk";

/** ANSI styling, or none: colour only on a TTY, and never when NO_COLOR is set (no-color.org). */
export interface Style {
  dim(s: string): string;
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const COLOURS: Style = {
  dim: sgr(2, 22),
  bold: sgr(1, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  blue: sgr(34, 39),
  magenta: sgr(35, 39),
  cyan: sgr(36, 39),
};
const id = (s: string) => s;
const PLAIN: Style = { dim: id, bold: id, red: id, green: id, yellow: id, blue: id, magenta: id, cyan: id };

/** FORCE_COLOR (any value but "0") colours a non-TTY stream; NO_COLOR (non-empty) always wins. */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return PLAIN;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return COLOURS;
  return stream.isTTY === true ? COLOURS : PLAIN;
}

/** Payload fields worth a line, per event type; types not listed show their first scalar fields. */
const HEADLINE: Record<string, readonly string[]> = {
  BlockStart: ["block_id", "txn_count", "gas_limit", "base_fee_per_gas"],
  BlockEnd: ["gas_used", "eth_block_hash"],
  BlockQC: ["round", "block_id"],
  BlockFinalized: ["block_id"],
  BlockVerified: [],
  BlockReject: ["reason"],
  TxnHeaderStart: ["txn_hash", "sender", "to", "value", "nonce"],
  TxnEvmOutput: ["status", "gas_used", "log_count"],
  TxnLog: ["address", "topics_list", "data"],
  TxnCallFrame: ["depth", "caller", "call_target", "value"],
  TxnReject: ["reason"],
  TxnAccessListEntry: ["address", "storage_keys_list"],
  TxnAuthListEntry: ["address", "authority"],
  AccountAccessListHeader: ["entry_count", "access_context"],
  AccountAccess: ["address", "balance", "nonce"],
  StorageAccess: ["address", "key", "value", "modified"],
  RecordError: ["dropped_event_type", "requested_payload_size"],
  EvmError: ["domain_id", "status_code"],
};
const SKIP = new Set(["type", "txn_index"]);

function short(v: unknown): string {
  if (typeof v === "string") return /^0x[0-9a-f]{15,}$/i.test(v) ? `${v.slice(0, 8)}…${v.slice(-4)}` : v;
  if (Array.isArray(v)) return v.length === 0 ? "[]" : `[${short(v[0])}${v.length > 1 ? ` +${v.length - 1}` : ""}]`;
  if (v === null) return "null";
  return String(v);
}

function colourOfEvent(name: string, s: Style): (x: string) => string {
  if (/Reject|Error/.test(name)) return s.red;
  if (name.startsWith("Block")) return s.blue;
  if (name.startsWith("Txn")) return s.green;
  return s.cyan;
}

function stage(st: string | undefined, s: Style): string {
  if (st === undefined) return "";
  const c = st === "Finalized" || st === "Verified" ? s.green : st === "Voted" ? s.yellow : st === "Rejected" ? s.red : s.dim;
  return ` ${c(`[${st}]`)}`;
}

/** "HH:MM:SS.mmm" (UTC) of a UNIX-nanosecond timestamp. */
function clock(ns: Int): string {
  return new Date(Number(toBigInt(ns) / 1_000_000n)).toISOString().slice(11, 23);
}

function eventLine(seqno: Int, e: ExecEvent, s: Style): string {
  const p = e.payload as unknown as Record<string, unknown>;
  const keys =
    HEADLINE[e.event_name] ??
    Object.keys(p)
      .filter((k) => !SKIP.has(k))
      .slice(0, 4);
  const fields = keys.filter((k) => p[k] !== undefined).map((k) => `${s.dim(`${k}=`)}${short(p[k])}`);
  const where = [e.block_number !== undefined ? `block ${e.block_number}` : "", e.txn_idx !== undefined ? `tx ${e.txn_idx}` : ""].filter(Boolean).join(" ");
  return `${s.dim(`${String(seqno).padStart(8)} ${clock(e.timestamp_ns)}`)} ${colourOfEvent(e.event_name, s)(e.event_name.padEnd(23))} ${where.padEnd(19)} ${fields.join(" ")}${stage(e.commit_stage, s)}`.trimEnd();
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function frameLine(f: Exclude<StreamFrame, { Events: unknown }>, s: Style): string {
  const head = s.dim(`${String(f.server_seqno).padStart(8)}${" ".repeat(13)}`);
  if ("TPS" in f) return `${head} ${s.magenta("TPS".padEnd(23))} ${s.bold(String(f.TPS))}`;
  if ("Lifecycle" in f) {
    const l = f.Lifecycle;
    const move = `${l.from_stage ? `${l.from_stage} → ` : ""}${l.to_stage}`;
    const took = l.time_in_previous_stage_ms !== undefined ? ` after ${l.time_in_previous_stage_ms.toFixed(0)} ms` : "";
    return `${head} ${s.yellow("Lifecycle".padEnd(23))} ${`block ${l.block_number}`.padEnd(19)} ${move}${took}, ${l.txn_count} txns${stage(l.to_stage, s)}`;
  }
  if ("ContentionData" in f) {
    const c = f.ContentionData;
    const speedup = c.schedule ? `, ideal speedup ×${c.schedule.ideal_speedup["8"]} on 8 cores` : "";
    return `${head} ${s.magenta("ContentionData".padEnd(23))} ${`block ${c.block_number}`.padEnd(19)} ${c.contended_slot_count}/${c.total_unique_slots} slots contended (${pct(c.contention_ratio)}), ${c.total_txn_count} txns${speedup}`;
  }
  const t = f.TopAccesses;
  const acc = t.account[0] ? `${short(t.account[0].key)} ×${t.account[0].count}` : "none";
  const slot = t.storage[0] ? `${short(t.storage[0].key[0])}/${short(t.storage[0].key[1])} ×${t.storage[0].count}` : "none";
  return `${head} ${s.magenta("TopAccesses".padEnd(23))} ${"".padEnd(19)} top account ${acc}, top slot ${slot}`;
}

/** The stdout lines of one item of client.frames(); gaps go to stderr (see gapLine). */
export function linesOf(item: ClientFrame, json: boolean, s: Style): string[] {
  if ("Gap" in item) return [];
  if ("Events" in item) {
    // One line per event: the event object with its frame's server_seqno first, so a reader can
    // resume with --from; integers are exact (stringifyJson writes bigints as digits).
    if (json) return item.Events.map((e) => stringifyJson({ server_seqno: item.server_seqno, ...e }));
    return item.Events.map((e) => eventLine(item.server_seqno, e, s));
  }
  return [json ? stringifyJson(item) : frameLine(item, s)];
}

export function gapLine(g: Gap, s: Style): string {
  return `${s.yellow(`gap (${g.reason}):`)} ${g.message}`;
}
