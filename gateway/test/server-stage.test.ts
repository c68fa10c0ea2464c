// min_stage: events of a block are held until the block reaches the stage, then delivered in order
// (re-published in a release frame, re-stamped with that stage); a rejected block's never arrive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "./helpers/child.js";
import { startGateway, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "5-15", "--block-reject", "0.2", "--seed", "3"]);
  gw = await startGateway(["--ring", sim.path]);
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

type Ev = { event_name: string; payload: Record<string, unknown>; commit_stage?: string; seqno: number; block_number?: number };
const EVENTS = ["BlockStart", "TxnHeaderStart", "TxnEnd", "BlockEnd", "BlockReject", "BlockQC", "BlockFinalized"];

/** Groups a ring-ordered event list into blocks by BLOCK_START (consensus events by block number). */
function blocks(evs: Ev[]) {
  const byId = new Map<string, { number: number; events: Ev[]; rejected: boolean }>();
  let current: { number: number; events: Ev[]; rejected: boolean } | null = null;
  const byNumber = new Map<number, string>();
  for (const e of evs) {
    if (e.event_name === "BlockStart") {
      current = { number: e.payload.block_number as number, events: [], rejected: false };
      byId.set(e.payload.block_id as string, current);
      byNumber.set(current.number, e.payload.block_id as string);
    }
    if (e.event_name === "BlockQC" || e.event_name === "BlockFinalized") {
      const id = e.payload.block_id as string;
      byId.get(id)?.events.push(e);
      continue;
    }
    if (!current) continue;
    current.events.push(e);
    if (e.event_name === "BlockReject") current.rejected = true;
    if (e.event_name === "BlockEnd" || e.event_name === "BlockReject") current = null;
  }
  return byId;
}

describe("min_stage", () => {
  for (const stage of ["Voted", "Finalized"] as const) {
    it(`holds each block's events until ${stage}, delivers them once in order, and drops rejected blocks`, async () => {
      const sub = encodeURIComponent(JSON.stringify({ events: EVENTS, min_stage: stage }));
      const all = await TestClient.connect(`${gw.ws}/v1/ws?subscribe=${encodeURIComponent(JSON.stringify({ events: EVENTS }))}`);
      const held = await TestClient.connect(`${gw.ws}/v1/ws?subscribe=${sub}`);
      await new Promise((r) => setTimeout(r, 4000)); // about 40 blocks
      // The reference stops first: every stage event it saw has its release frame in flight to `held`.
      await all.close();
      await new Promise((r) => setTimeout(r, 500));
      await held.close();
      const evAll = all.of("Events").flatMap((f) => f.Events as Ev[]);
      const evHeld = held.of("Events").flatMap((f) => f.Events as Ev[]);
      const ref = blocks(evAll);
      const got = blocks(evHeld);
      const trigger = stage === "Voted" ? "BlockQC" : "BlockFinalized";
      let complete = 0;
      let rejected = 0;
      for (const [id, b] of ref) {
        const reached = b.events.some((e) => e.event_name === trigger);
        if (b.rejected) {
          rejected++;
          expect(got.has(id)).toBe(false);
          continue;
        }
        if (!reached) continue; // still on its way when the clients left
        complete++;
        const g = got.get(id);
        expect(g, `block ${b.number} (${id}) reached ${stage} but was not delivered`).toBeDefined();
        // Every event of the block up to the trigger, exactly once, in ring order.
        const upTo = b.events.slice(0, b.events.findIndex((e) => e.event_name === trigger) + 1);
        expect(g!.events.map((e) => e.seqno).slice(0, upTo.length)).toEqual(upTo.map((e) => e.seqno));
      }
      expect(complete).toBeGreaterThan(10);
      expect(rejected).toBeGreaterThan(0);
      // Every event a held subscriber sees is stamped with a stage at or past its min_stage.
      const rank = ["Proposed", "Voted", "Finalized", "Verified"];
      for (const e of evHeld) if (e.commit_stage) expect(rank.indexOf(e.commit_stage)).toBeGreaterThanOrEqual(rank.indexOf(stage));
      // No event twice.
      expect(new Set(evHeld.map((e) => e.seqno)).size).toBe(evHeld.length);
      // A held block arrives only after the firehose saw the event that moved it.
      const allFrameOf = new Map<number, number>();
      for (const f of all.of("Events")) for (const e of f.Events as Ev[]) allFrameOf.set(e.seqno, f.server_seqno);
      for (const f of held.of("Events")) {
        for (const e of f.Events as Ev[]) if (e.event_name === "BlockStart") {
          const b = ref.get(e.payload.block_id as string);
          if (!b) continue; // started before the reference client connected
          const t = b.events.find((x) => x.event_name === trigger);
          if (t) expect(f.server_seqno).toBeGreaterThan(allFrameOf.get(t.seqno)!);
        }
      }
    });
  }
});
