// Writer and reader in different processes, and the writer lock that guards a ring name.
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { RingWriter } from "../src/ring/ring-writer.js";
import { spawnChild, type Child } from "./helpers/child.js";
import { patternPayload, readRecords } from "./helpers/raw-records.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

const writerChild = fileURLToPath(new URL("./fixtures/writer-child.mjs", import.meta.url));
const children: Child[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill("SIGKILL")));
  removeTempRings();
});

function startWriter(path: string, ...args: string[]): Child {
  const c = spawnChild(process.execPath, [writerChild, path, ...args]);
  children.push(c);
  return c;
}

describe("cross-process ring", () => {
  it("streams every event from a writer process to a live reader, in order and intact", async () => {
    const path = tempRingPath();
    // 200,000 events through a ring of 2^20 slots: the test is about crossing processes intact, not
    // about lapping (a busy test machine could let the writer lap a small ring: see the GAP test).
    const n = 200_000;
    const writer = startWriter(path, "stream", String(n), "500", "20");
    await writer.waitFor(/^ready$/);
    const reader = RingReader.open(path, { startAt: "head" });
    expect(reader.writer()).toEqual({ pid: writer.proc.pid, alive: true });
    writer.proc.stdin.write("go\n");
    let next = 1;
    let bad = 0;
    const deadline = Date.now() + 60_000;
    while (next <= n && Date.now() < deadline) {
      const b = reader.poll(1024);
      expect(b.status === PollStatus.Gap || b.status === PollStatus.Expired).toBe(false);
      for (const r of readRecords(b.buffer, b.count)) {
        if (r.seqno !== next || r.ext[1] !== next || !r.payload.equals(patternPayload(next, (next * 37) % 600))) bad++;
        next++;
      }
      if (b.status === PollStatus.NotReady) await new Promise((r) => setImmediate(r));
    }
    expect(bad).toBe(0);
    expect(next - 1).toBe(n);
    expect(await writer.waitFor(/^done/)).toBe(`done ${n}`);
    reader.close();
  });

  it("refuses to create a ring a live writer holds, naming its pid", async () => {
    const path = tempRingPath();
    const writer = startWriter(path, "hold");
    await writer.waitFor(/^ready$/);
    expect(() => RingWriter.create(path, { descriptorsShift: 16, payloadBufShift: 27 })).toThrow(
      new RegExp(`live writer \\(pid ${writer.proc.pid}\\)`),
    );
  });

  it("replaces the file of a writer that died, and reports the dead writer before that", async () => {
    const path = tempRingPath();
    const writer = startWriter(path, "hold");
    await writer.waitFor(/^ready$/);
    const reader = RingReader.open(path, { startAt: "head" });
    await writer.kill("SIGKILL");
    expect(reader.writer().alive).toBe(false); // the lock died with the process
    reader.close();
    const w = RingWriter.create(path, { descriptorsShift: 16, payloadBufShift: 27 });
    const r2 = RingReader.open(path, { startAt: "head" });
    expect(r2.writer()).toEqual({ pid: process.pid, alive: true });
    r2.close();
    w.close({ unlink: true });
  });
});
