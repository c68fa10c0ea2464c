// `monad-gateway sim` writing a real ring from its own process while this process follows it live.
import { afterEach, describe, expect, it } from "vitest";
import { batchToNdjson, FlowTracker } from "../src/decode/index.js";
import { ExecStreamChecker } from "../src/producers/sim/index.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { spawnChild, type Child } from "./helpers/child.js";
import { CLI } from "./helpers/cli.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

const children: Child[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill("SIGKILL")));
  removeTempRings();
});

async function openWhenReady(path: string): Promise<RingReader> {
  for (let i = 0; ; i++) {
    try {
      return RingReader.open(path, { startAt: { seqno: 1 } });
    } catch (err) {
      if (i > 200) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe("simulator into a real ring", () => {
  it("streams a well-formed, fully decodable chain to a live reader in another process", async () => {
    const path = tempRingPath();
    const sim = spawnChild(process.execPath, [CLI, "sim", "--ring", path, "--blocks-per-second", "20", "--max-blocks", "30", "--txns-per-block", "40-80", "--block-reject", "0.05", "--keep", "--quiet"]);
    children.push(sim);
    const reader = await openWhenReady(path);
    expect(reader.writer().alive).toBe(true);
    const checker = new ExecStreamChecker();
    const tracker = new FlowTracker();
    let events = 0;
    let decodeErrors = 0;
    const names = new Map<string, number>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const b = reader.poll(2048);
      expect([PollStatus.Ok, PollStatus.NotReady]).toContain(b.status);
      if (b.count > 0) {
        const batch = Buffer.from(b.buffer.subarray(0, b.bytes));
        checker.feedBatch(batch);
        const out = batchToNdjson(batch, tracker);
        decodeErrors += out.errors.length;
        for (const line of out.data.toString("latin1").split("\n")) {
          if (!line) continue;
          const name = /"event_name":"(\w+)"/.exec(line)![1];
          names.set(name, (names.get(name) ?? 0) + 1);
        }
        events += b.count;
      }
      if (b.status === PollStatus.NotReady) {
        if (sim.proc.exitCode !== null && reader.info().lastSeqno === b.nextSeqno - 1) break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    expect(sim.proc.exitCode).toBe(0);
    expect(decodeErrors).toBe(0);
    expect(checker.finish()).toEqual([]);
    expect(events).toBe(reader.info().lastSeqno);
    expect(names.get("BlockStart")).toBe(30);
    // Every block that was not rejected gets its consensus events.
    const executed = 30 - (names.get("BlockReject") ?? 0) - (names.get("EvmError") ?? 0);
    for (const stage of ["BlockQC", "BlockFinalized", "BlockVerified"]) expect(names.get(stage)).toBe(executed);
    expect(names.get("TxnLog")).toBeGreaterThan(100);
    expect(names.get("StorageAccess")).toBeGreaterThan(100);
    reader.close();
  });
});
