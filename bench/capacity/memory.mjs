// Memory: RSS of the gateway with a full resume buffer, and RSS per idle connection at 10,000
// connections (peer: a plain `ws` server), both read from /proc of the server process.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLI, metric, run, sleep, startGateway, uniqueRing } from "../lib/proc.mjs";

const IDLE_CLIENTS = fileURLToPath(new URL("./idle-clients.mjs", import.meta.url));
const IDLE_PEER = fileURLToPath(new URL("./idle-ws-peer.mjs", import.meta.url));
const WRITER_HOLD = fileURLToPath(new URL("../../gateway/test/fixtures/writer-child.mjs", import.meta.url));

/**
 * The process's own memory (RssAnon): VmRSS would also count the shared ring mapping, which the
 * reader maps with MAP_POPULATE (and its payload buffer twice), i.e. the validator's memory, not ours.
 */
function rssBytes(pid) {
  const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m[1]) * 1024;
}

export async function runMemory({ quick = false } = {}) {
  return [...(await resumeBufferRss(quick)), ...(await idleConnections(quick))];
}

async function resumeBufferRss(quick) {
  const frames = quick ? 20_000 : 100_000;
  const path = uniqueRing("mem");
  const gw = await startGateway(["--ring", path, "--frame-events", "8", "--resume-buffer", String(frames), "--resume-buffer-mib", "8192"]);
  const sim = run([CLI, "sim", "--ring", path, "--flat-out", "--txns-per-block", "100", "--max-blocks", quick ? "150" : "700", "--descriptors-shift", "22", "--payload-shift", "31", "--quiet", "--keep"]);
  try {
    // Measure "before" once the gateway has attached to the ring and read its first events.
    for (let i = 0; i < 200 && !((await metric(gw.http, "monad_gateway_events_in_total")) > 0); i++) await sleep(20);
    const before = rssBytes(gw.child.pid);
    for (let i = 0; i < 1200; i++) {
      if ((await metric(gw.http, "monad_gateway_resume_buffer_frames")) >= frames - 1) break;
      await sleep(100);
    }
    await sim.stop("SIGKILL");
    await sleep(1500);
    const held = await metric(gw.http, "monad_gateway_resume_buffer_frames");
    const bytes = await metric(gw.http, "monad_gateway_resume_buffer_bytes");
    const after = rssBytes(gw.child.pid);
    const conditions = `gateway process, frames of <= 8 simulator events (${held} frames, ${(bytes / 2 ** 20).toFixed(0)} MiB accounted: JSON + raw records); RssAnon from /proc (the shared ring mapping excluded)`;
    return [
      { name: `RSS with a full resume buffer (${held.toLocaleString("en-US")} frames)`, value: Math.round(after / 2 ** 20), unit: "MiB", peer: null, ratio: null, conditions },
      { name: "RSS growth for the resume buffer", value: Math.round((after - before) / 2 ** 20), unit: "MiB", peer: null, ratio: null, conditions },
    ];
  } finally {
    await sim.stop("SIGKILL");
    await gw.stop();
    rmSync(path, { force: true });
  }
}

async function openIdle(url, total) {
  const procs = [];
  const per = Math.ceil(total / 4);
  for (let i = 0; i < 4; i++) procs.push(run([IDLE_CLIENTS, url, String(Math.min(per, total - i * per))]));
  const counts = await Promise.all(procs.map((p) => p.waitFor(/open (\d+) failed (\d+)/, 120_000)));
  const opened = counts.reduce((n, m) => n + Number(m[1]), 0);
  return { procs, opened };
}

async function perConnection(pid, url, total) {
  await sleep(1000);
  const before = rssBytes(pid);
  const { procs, opened } = await openIdle(url, total);
  await sleep(2000);
  const after = rssBytes(pid);
  for (const p of procs) p.child.stdin.write("close\n");
  await Promise.all(procs.map((p) => p.stop()));
  return { perConn: (after - before) / opened, opened };
}

async function idleConnections(quick) {
  const total = quick ? 2000 : 10_000;
  const path = uniqueRing("idle");
  const holder = run([WRITER_HOLD, path, "hold"]);
  await holder.waitFor(/ready/);
  const gw = await startGateway(["--ring", path, "--max-connections-per-ip", "20000"]);
  const peer = run([IDLE_PEER]);
  const peerPort = Number((await peer.waitFor(/listening on port (\d+)/))[1]);
  try {
    const ours = await perConnection(gw.child.pid, `${gw.ws}/v1/ws`, total);
    const theirs = await perConnection(peer.child.pid, `ws://127.0.0.1:${peerPort}/`, total);
    const conditions = `${ours.opened} idle connections from 4 client processes on loopback, RssAnon delta of the server process / connections; goal <= 16 KB (kernel socket memory not included)`;
    return [
      { name: `RSS per idle connection at ${total.toLocaleString("en-US")} connections`, value: Math.round(ours.perConn), unit: "bytes (lower is better)", peer: "ws server (idle)", ratio: Number((ours.perConn / theirs.perConn).toFixed(2)), conditions },
      { name: `RSS per idle connection at ${total.toLocaleString("en-US")} connections, ws peer`, value: Math.round(theirs.perConn), unit: "bytes (lower is better)", peer: null, ratio: null, conditions: `${theirs.opened} connections; plain ws WebSocketServer` },
    ];
  } finally {
    await peer.stop();
    await gw.stop();
    await holder.stop("SIGKILL");
    rmSync(path, { force: true });
  }
}
