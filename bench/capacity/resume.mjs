// Resume: how long replaying 100,000 buffered frames to one client takes.
//  - server side, in-process: a real Hub walks a real ResumeBuffer of 100,000 frames (built by the
//    real pipeline from simulator events) into a connection that only counts bytes;
//  - client side: the gateway process, a client reconnecting with resume_from = oldest - 1, timed from
//    the upgrade to the last replayed frame.
import { rmSync } from "node:fs";
import WebSocket from "ws";
import { CLI, ROOT, run, sleep, startGateway, uniqueRing } from "../lib/proc.mjs";

const d = (p) => import(`${ROOT}gateway/dist/${p}`);

async function buildBuffer(frames, frameEvents) {
  const { RingWriter } = await d("ring/ring-writer.js");
  const { RingReader, PollStatus } = await d("ring/ring-reader.js");
  const { Simulator } = await d("producers/sim/index.js");
  const { Pipeline } = await d("server/pipeline.js");
  const { Hub } = await d("broadcast/hub.js");
  const { ResumeBuffer } = await d("broadcast/resume-buffer.js");
  const { GatewayMetrics } = await d("transport/metrics.js");
  const path = uniqueRing("resume");
  const w = RingWriter.create(path, { descriptorsShift: 21, payloadBufShift: 30 });
  const buffer = new ResumeBuffer({ maxFrames: frames, maxBytes: 8 * 2 ** 30 });
  const hub = new Hub(buffer, { maxPendingFrames: 4096, warnEvery: 1000, dropLimit: 10_000 });
  const pipeline = new Pipeline(hub, new GatewayMetrics(), { ringLoss() {}, decodeError() {} }, { maxEventsPerFrame: frameEvents, maxEventsPerPoll: 4096 });
  const reader = RingReader.open(path, { startAt: { seqno: 1 } });
  // Write and read in rounds of 20 blocks until the buffer holds `frames` frames.
  let seed = 1;
  while (buffer.newest < frames) {
    const sim = new Simulator({ record: (b, n) => w.record(b, n) }, { seed: seed++, flatOut: true, maxBlocks: 20, txnsPerBlock: 100, startSeqno: w.info().lastSeqno, startBlockNumber: seed * 100 });
    await sim.start();
    for (;;) {
      const b = reader.poll(4096);
      if (b.count) pipeline.ingest(b);
      if (b.status !== PollStatus.Ok) break;
    }
  }
  // As a gateway does in the ring's idle gaps: the last summaries and every frame's JSON are written
  // (a replay finds them ready; the client-side test replays from a real gateway as well).
  while (pipeline.idle());
  reader.close();
  w.close({ unlink: true });
  return { hub, buffer };
}

export async function runResume({ quick = false } = {}) {
  const frames = quick ? 20_000 : 100_000;
  const rows = [];
  const { hub, buffer } = await buildBuffer(frames, 8);
  const { compileSubscription, channelDefault } = await d("broadcast/subscription.js");
  for (const channel of ["all", "blocks"]) {
    const sub = compileSubscription(channelDefault(channel));
    let bytes = 0;
    let sent = 0;
    const conn = { send: (b) => ((bytes += b.length), sent++, true), cork: (sends) => sends(), close() {} };
    const t0 = process.hrtime.bigint();
    const c = hub.add(conn, sub, channel, "bench", buffer.oldest - 1, []);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    hub.remove(c);
    rows.push({
      name: `resume replay of ${buffer.length.toLocaleString("en-US")} frames, server side (${channel} channel)`,
      value: Number(ms.toFixed(2)),
      unit: "ms (lower is better)",
      peer: null,
      ratio: null,
      conditions: `in-process Hub walk into a byte-counting connection; ${sent} frames / ${(bytes / 1e6).toFixed(1)} MB sent; frames of <= 8 events; goal < 50 ms (Rust gateway target < 100 ms)`,
    });
  }
  rows.push(await clientSide(quick));
  return rows;
}

async function clientSide(quick) {
  const path = uniqueRing("resume-client");
  const target = quick ? 20_000 : 100_000;
  const gw = await startGateway(["--ring", path, "--frame-events", "8", "--resume-buffer", String(target), "--resume-buffer-mib", "8192"]);
  const sim = run([CLI, "sim", "--ring", path, "--flat-out", "--txns-per-block", "100", "--max-blocks", quick ? "120" : "500", "--descriptors-shift", "21", "--payload-shift", "30", "--quiet", "--keep"]);
  try {
    // The window must be full and the producer gone before the client comes: a frame published
    // meanwhile would push the client's resume point out of the window, and the gateway would answer
    // with a snapshot instead of a replay (which an earlier version of this bench then timed).
    let st;
    for (let i = 0; ; i++) {
      st = await (await fetch(`${gw.http}/v1/status`)).json();
      if (st.oldest_seqno > 1 && sim.child.exitCode !== null) break;
      if (i >= 3000) throw new Error(`the producer did not finish within 300 s (window oldest ${st.oldest_seqno}, newest ${st.newest_seqno})`);
      await sleep(100);
    }
    await sleep(1000);
    st = await (await fetch(`${gw.http}/v1/status`)).json();
    const from = st.oldest_seqno - 1;
    const newest = st.newest_seqno;
    const t0 = performance.now();
    const ws = new WebSocket(`${gw.ws}/v1/ws?resume_from=${from}&epoch=${st.epoch}`);
    let frames = 0;
    let lastAt = 0;
    // The producer has stopped, so the replay is over once frames stop coming (the newest frames may
    // be min_stage release frames, which a firehose client does not get).
    const ms = await new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error("client-side replay timed out")), 120_000);
      const idle = setInterval(() => {
        if (frames > 0 && performance.now() - lastAt > 1000) {
          clearInterval(idle);
          clearTimeout(deadline);
          resolve(lastAt - t0);
        }
      }, 100);
      ws.on("message", (data) => {
        const s = data.toString("latin1", 0, 40);
        const m = /^\{"server_seqno":(\d+),"(\w+)"/.exec(s);
        if (m?.[2] === "Resume") {
          const mode = /"mode":"(\w+)"/.exec(data.toString("latin1", 0, 200))?.[1];
          if (mode !== "resume") reject(new Error(`the gateway answered the resume with mode "${mode}", not a replay`));
        }
        if (!m || m[2] === "Hello" || m[2] === "Resume") return;
        frames++;
        lastAt = performance.now();
      });
    });
    ws.close();
    return {
      name: `resume replay of ${(newest - from).toLocaleString("en-US")} frames, client side (firehose)`,
      value: Number(ms.toFixed(1)),
      unit: "ms (lower is better)",
      peer: null,
      ratio: null,
      conditions: `gateway process, loopback, one ws client (ws package) parsing frame headers; ${frames} frames received (Events frames of <= 8 events, plus TPS/contention/lifecycle frames); from upgrade to the last replayed frame`,
    };
  } finally {
    await sim.stop("SIGKILL");
    await gw.stop();
    rmSync(path, { force: true });
  }
}
