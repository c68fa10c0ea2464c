// Channels, their default subscriptions, every filter kind, and seqno order, against a real gateway
// process reading a real ring written by the simulator process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "./helpers/child.js";
import { frameKind, startGateway, streamFrames, TestClient, type Frame, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "20-40", "--seed", "7"]);
  gw = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100"]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

async function client(path: string): Promise<TestClient> {
  const c = await TestClient.connect(`${gw.ws}${path}`);
  clients.push(c);
  return c;
}

type Ev = { event_name: string; payload: Record<string, unknown>; txn_idx?: number; block_number?: number; commit_stage?: string; seqno: number };
function events(c: TestClient): Ev[] {
  return c.of("Events").flatMap((f) => f.Events as Ev[]);
}
function kindsOf(c: TestClient): Set<string> {
  return new Set(streamFrames(c.frames).map(frameKind));
}

async function collect(c: TestClient, blocks = 4): Promise<void> {
  // Long enough for several blocks (and their QC/finalize/verify) at 10 blocks/s.
  await c.waitFor(() => c.of("Lifecycle").length + events(c).filter((e) => e.event_name === "BlockStart").length >= blocks || events(c).length > 5000, 20_000, "a few blocks");
  await new Promise((r) => setTimeout(r, 800));
}

describe("channels", () => {
  it("starts every connection with Hello then Resume", async () => {
    const c = await client("/v1/ws");
    await c.waitFor(() => c.frames.length >= 2);
    expect(frameKind(c.frames[0])).toBe("Hello");
    expect(frameKind(c.frames[1])).toBe("Resume");
    const hello = c.frames[0].Hello as { wire_version: number; epoch: string; limits: Record<string, number>; channel: string };
    expect(hello).toMatchObject({ wire_version: 1, channel: "all", limits: { resume_buffer_size: 100_000, client_send_buffer: 4096, slow_client_drop_limit: 10_000 } });
    expect(hello.epoch).toMatch(/^[0-9a-f]{16}$/);
    expect(c.frames[1].Resume).toMatchObject({ mode: "snapshot", epoch: hello.epoch, reason: "no_cursor" });
  });

  it("/v1/ws and / carry every kind of frame", async () => {
    for (const path of ["/v1/ws", "/"]) {
      const c = await client(path);
      await collect(c, 12);
      const kinds = kindsOf(c);
      for (const k of ["Events", "TPS", "ContentionData", "TopAccesses", "Lifecycle"]) expect(kinds).toContain(k);
      const names = new Set(events(c).map((e) => e.event_name));
      for (const n of ["BlockStart", "TxnHeaderStart", "TxnLog", "StorageAccess", "BlockEnd", "BlockQC", "BlockFinalized"]) expect(names).toContain(n);
    }
  });

  it("/v1/ws/blocks carries block events, TPS and Lifecycle only", async () => {
    const c = await client("/v1/ws/blocks");
    await collect(c, 12);
    expect([...kindsOf(c)].sort()).toEqual(["Events", "Lifecycle", "TPS"]);
    const names = new Set(events(c).map((e) => e.event_name));
    expect([...names].every((n) => ["BlockStart", "BlockEnd", "BlockQC", "BlockFinalized", "BlockVerified", "BlockReject"].includes(n))).toBe(true);
    expect(names).toContain("BlockStart");
  });

  it("/v1/ws/txs carries transaction events only (NativeTransfer = value-moving call frames)", async () => {
    const c = await client("/v1/ws/txs");
    await collect(c);
    expect([...kindsOf(c)]).toEqual(["Events"]);
    const names = new Set(events(c).map((e) => e.event_name));
    expect([...names].every((n) => ["TxnHeaderStart", "TxnEvmOutput", "TxnLog", "TxnCallFrame", "TxnEnd", "TxnReject"].includes(n))).toBe(true);
    expect(names).toContain("TxnLog");
  });

  it("/v1/ws/contention and /v1/ws/lifecycle carry only their frame kind", async () => {
    const a = await client("/v1/ws/contention");
    const b = await client("/v1/ws/lifecycle");
    await collect(b, 6);
    await a.waitFor(() => a.of("ContentionData").length >= 2);
    expect([...kindsOf(a)]).toEqual(["ContentionData"]);
    expect([...kindsOf(b)]).toEqual(["Lifecycle"]);
    const cd = a.of("ContentionData")[0].ContentionData as Record<string, unknown>;
    for (const k of ["block_number", "parallel_efficiency_pct", "total_unique_slots", "contended_slot_count", "contention_ratio", "top_contended_slots", "schedule"]) expect(cd).toHaveProperty(k);
  });

  it("gives each client strictly increasing stream seqnos", async () => {
    const c = await client("/v1/ws");
    await collect(c, 8);
    const seqnos = streamFrames(c.frames).map((f) => f.server_seqno);
    for (let i = 1; i < seqnos.length; i++) expect(seqnos[i]).toBeGreaterThan(seqnos[i - 1]);
    // Events inside frames are in ring order too.
    const ring = events(c).map((e) => e.seqno);
    for (let i = 1; i < ring.length; i++) expect(ring[i]).toBeGreaterThan(ring[i - 1]);
  });
});

describe("filters", () => {
  async function subscribed(spec: unknown, blocks = 6): Promise<{ c: TestClient; firehose: TestClient; evs: Ev[]; all: Ev[]; from: number }> {
    const firehose = await client("/v1/ws/txs");
    const c = await client("/v1/ws");
    c.send({ subscribe: spec });
    await new Promise((r) => setTimeout(r, 300));
    const from = c.frames.length;
    const fromF = firehose.frames.length;
    await new Promise((r) => setTimeout(r, blocks * 200)); // 10 blocks/s: about 2x `blocks` blocks
    const evs = c.frames.slice(from).filter((f: Frame) => "Events" in f).flatMap((f) => f.Events as Ev[]);
    const all = firehose.frames.slice(fromF).filter((f: Frame) => "Events" in f).flatMap((f) => f.Events as Ev[]);
    return { c, firehose, evs, all, from };
  }

  it("simple list: exactly the named events and meta frames", async () => {
    const { c, evs, from } = await subscribed(["TxnLog", "TPS"]);
    expect(evs.length).toBeGreaterThan(0);
    expect(new Set(evs.map((e) => e.event_name))).toEqual(new Set(["TxnLog"]));
    // Frames after the subscription took effect (before it, /v1/ws sent everything).
    const after = c.frames.slice(from);
    expect(after.some((f) => "TPS" in f)).toBe(true);
    expect(after.filter((f) => "Lifecycle" in f || "ContentionData" in f || "TopAccesses" in f)).toEqual([]);
  });

  it("address (exact) and topics (array prefix) on TxnLog", async () => {
    const probe = await subscribed(["TxnLog"], 5);
    // The most frequent emitter (a hot token): it will log again soon.
    const freq = new Map<string, number>();
    for (const e of probe.evs) freq.set(e.payload.address as string, (freq.get(e.payload.address as string) ?? 0) + 1);
    const hot = [...freq.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const sample = probe.evs.find((e) => e.payload.address === hot)!.payload as { address: string; topics_list: string[] };
    const { evs, all } = await subscribed({
      events: ["TxnLog"],
      filters: [{ event_name: "TxnLog", field_filters: [{ field: "address", filter: { values: [sample.address.toUpperCase().replace("0X", "0x")] } }, { field: "topics", filter: { values: [sample.topics_list[0]] } }] }],
    });
    expect(evs.length).toBeGreaterThan(0);
    for (const e of evs) {
      expect(e.payload.address).toBe(sample.address);
      expect((e.payload.topics_list as string[])[0]).toBe(sample.topics_list[0]);
    }
    const expected = all.filter((e) => e.event_name === "TxnLog" && e.payload.address === sample.address && (e.payload.topics_list as string[])[0] === sample.topics_list[0]);
    expect(evs.map((e) => e.seqno)).toEqual(expected.map((e) => e.seqno).filter((s) => s >= evs[0].seqno && s <= evs.at(-1)!.seqno));
  });

  it("txn_index and log_index ranges", async () => {
    const { evs } = await subscribed({ events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "txn_index", filter: { min: 2, max: 5 } }, { field: "log_index", filter: { max: 0 } }] }] });
    expect(evs.length).toBeGreaterThan(0);
    for (const e of evs) {
      expect(e.txn_idx).toBeGreaterThanOrEqual(2);
      expect(e.txn_idx).toBeLessThanOrEqual(5);
      expect(e.payload.log_index).toBe(0);
    }
  });

  it("call frames by depth, and NativeTransfer as value-moving call frames", async () => {
    const deep = await subscribed({ events: ["TxnCallFrame"], filters: [{ event_name: "TxnCallFrame", field_filters: [{ field: "depth", filter: { min: 1 } }] }] });
    expect(deep.evs.length).toBeGreaterThan(0);
    for (const e of deep.evs) expect(e.payload.depth as number).toBeGreaterThanOrEqual(1);
    const native = await subscribed(["NativeTransfer"]);
    expect(native.evs.length).toBeGreaterThan(0);
    for (const e of native.evs) {
      expect(e.event_name).toBe("TxnCallFrame");
      expect(e.payload.value).not.toBe("0x0");
    }
  });

  it("specs for one event are ORed; field filters inside a spec are ANDed", async () => {
    const { evs } = await subscribed({
      events: ["TxnHeaderStart"],
      filters: [
        { event_name: "TxnHeaderStart", field_filters: [{ field: "txn_index", filter: { max: 0 } }] },
        { event_name: "TxnHeaderStart", field_filters: [{ field: "txn_index", filter: { min: 3, max: 3 } }] },
      ],
    });
    expect(evs.length).toBeGreaterThan(0);
    expect(new Set(evs.map((e) => e.txn_idx))).toEqual(new Set([0, 3]));
  });
});
