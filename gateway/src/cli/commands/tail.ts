// `monad-gateway tail`: follow a gateway's stream in the terminal, through the SDK, so it resumes
// after a lost connection like any SDK client and reports every loss on stderr.
import { once } from "node:events";
import { GatewayClient, GatewayHttpError, type Int } from "@monad-gateway/sdk";
import { parseTailArgs } from "./tail-args.js";
import { gapLine, linesOf, styleFor } from "./tail-format.js";

export const tailUsage = `monad-gateway tail [options]

Follows a gateway's stream: one line per event or frame on stdout (coloured on a terminal; set
NO_COLOR to turn colour off), or NDJSON with --json (exact integers; each event line is the event
with its frame's server_seqno first). Reconnects and resumes by itself after a lost connection;
gaps, warnings and reconnects go to stderr. Ctrl-C stops.

Options:
  --url <url>            gateway URL (default ws://localhost:8443)
  --channel <name>       all | blocks | txs | contention | lifecycle (default all)
  --events <A,B,...>     only these events / frames (event names, TPS, ContentionData,
                         TopAccesses, Lifecycle, NativeTransfer)
  --address <0x..>       only events of this address (TxnLog, AccountAccess, StorageAccess,
                         TxnAccessListEntry, TxnAuthListEntry); repeat or comma-separate for several.
                         Without --events: TxnLog
  --topic <0x..>         only logs whose topics start with these (topic0 first); repeatable
  --min-stage <stage>    hold events until their block is Voted | Finalized | Verified
  --from <seqno>         start after this server_seqno (replayed if the gateway still has it)
  --epoch <epoch>        the gateway run --from belongs to (a cursor from another run gets a snapshot)
  --json                 NDJSON on stdout
  --limit <n>            stop after n lines`;

export async function tailCommand(argv: string[]): Promise<void> {
  const args = parseTailArgs(argv, tailUsage);
  const out = styleFor(process.stdout);
  const err = styleFor(process.stderr);
  const note = (line: string) => process.stderr.write(`${line}\n`);

  const client = new GatewayClient({
    url: args.url,
    channel: args.channel,
    ...(args.subscription ? { subscription: args.subscription } : {}),
    ...(args.resumeFrom !== undefined ? { resumeFrom: args.resumeFrom } : {}),
    ...(args.epoch !== undefined ? { epoch: args.epoch } : {}),
    clientName: "monad-gateway tail",
  });
  client.on("gap", (g) => note(gapLine(g, err)));
  client.on("warning", (w) => {
    // Data-losing warnings are reported as gaps; the others (writer_gone, writer_back, new types) here.
    if (w.type !== "backpressure" && w.type !== "ring_gap" && w.type !== "payload_expired")
      note(`${err.yellow(`warning (${w.type}):`)} ${"message" in w ? w.message : ""}`);
  });
  client.on("resume", (r) => {
    if (r.mode === "resume") note(err.dim(`resumed after ${r.resume_from} (gateway epoch ${r.epoch})`));
  });
  client.on("error", (e) => {
    // Connection failures show in the disconnected/reconnecting lines; anything else is news.
    if (e.name !== "GatewayConnectionError" && e.name !== "GatewayHttpError") note(`${err.red(e.name === "GatewayProtocolError" ? "gateway error:" : "error:")} ${e.message}`);
  });

  const frames = client.frames({ bufferSize: 1000 });
  try {
    await client.connect();
  } catch (e) {
    client.disconnect();
    if (e instanceof GatewayHttpError) throw new Error(`the gateway at ${args.url} refused the connection (HTTP ${e.status}): ${e.message}`);
    throw new Error(`cannot connect to ${args.url}: ${(e as Error).message}`);
  }
  // Only now: a failed first connection is the one-line error above, not a reconnect story.
  client.on("disconnected", (d) => {
    if (d.reason === "client disconnect") return;
    note(err.yellow(`disconnected (${d.code}${d.error ? `: ${d.error.message}` : d.reason ? ` ${d.reason}` : ""})`));
  });
  client.on("reconnecting", (attempt, delayMs) =>
    note(err.dim(`reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt}) from ${cursorText(client.serverSeqno)}`)),
  );

  const stopped = new AbortController();
  const stop = () => {
    stopped.abort();
    client.disconnect();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE")
      stop(); // `tail | head` is a normal way to use it
    else throw e;
  });

  let printed = 0;
  try {
    outer: for await (const item of frames) {
      for (const line of linesOf(item, args.json, out)) {
        if (stopped.signal.aborted) break outer;
        // Honour stdout's backpressure: while we wait, frames queue in the SDK, and a full queue
        // pauses the connection (resumed losslessly later) instead of growing memory.
        if (!process.stdout.write(`${line}\n`)) await once(process.stdout, "drain", { signal: stopped.signal }).catch(() => {});
        if (++printed >= args.limit) break outer;
      }
    }
  } finally {
    client.disconnect();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function cursorText(seqno: Int | null): string {
  return seqno === null ? "the current state" : `server_seqno ${seqno}`;
}
