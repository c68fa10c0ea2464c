// The same ring protocol on a real hugetlbfs mount (where a validator keeps its ring), when root.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { native } from "../src/ring/native.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { RingWriter } from "../src/ring/ring-writer.js";
import { mountHugetlbfs } from "./helpers/hugetlbfs.js";
import { patternPayload, rawBatch, readRecords } from "./helpers/raw-records.js";

// 67 pages per minimal ring (2 MiB header + 4 MiB descriptors + 128 MiB payload); room for two.
const mount = mountHugetlbfs(140);
const reason = typeof mount === "string" ? mount : "";
if (reason) console.warn(`skipping hugetlbfs tests: ${reason}`);

describe.skipIf(typeof mount === "string")("ring on hugetlbfs", () => {
  const dir = typeof mount === "string" ? "" : mount.dir;
  afterAll(() => typeof mount !== "string" && mount.release());

  it("creates, records, wraps and reads a ring on hugetlbfs by path", () => {
    const path = join(dir, "ring-by-path");
    const w = RingWriter.create(path, { descriptorsShift: 16, payloadBufShift: 27 });
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const size = 3 * (1 << 20) + 5;
    let got = 0;
    for (let i = 1; i <= 60; i += 4) {
      const b = rawBatch([0, 1, 2, 3].map((k) => ({ type: 19, payload: patternPayload(i + k, size) })));
      w.record(b.buffer, b.count);
      for (;;) {
        const p = r.poll(2);
        for (const rec of readRecords(p.buffer, p.count)) {
          expect(rec.payload.equals(patternPayload(rec.seqno, size))).toBe(true);
          got++;
        }
        if (p.status !== PollStatus.Ok) break;
      }
    }
    expect(got).toBe(60); // 180 MiB through a 128 MiB buffer: wrapped
    expect(r.writer().alive).toBe(true);
    r.close();
    w.close({ unlink: true });
  });

  it("resolves a ring name under the first 2 MiB hugetlbfs mount + /event-rings/", () => {
    const first = native.hugetlbfsMount();
    expect(first).not.toBeNull();
    const name = `mgw-test-${process.pid}`;
    const w = RingWriter.create(name, { descriptorsShift: 16, payloadBufShift: 27 });
    expect(w.path).toBe(`${first}/event-rings/${name}`);
    const r = RingReader.open(name, { startAt: "head" });
    expect(r.path).toBe(w.path);
    expect(r.poll().status).toBe(PollStatus.NotReady);
    r.close();
    w.close({ unlink: true });
  });
});
