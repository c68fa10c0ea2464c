// Frame memory from slabs a worker thread has touched: every allocation is its own bytes (no two
// overlap, nothing is ever handed out twice), whatever mix of sizes and whether or not a slab is ready.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { SlabPool } from "../src/broadcast/slab-pool.js";

const pools: SlabPool[] = [];
afterEach(() => {
  for (const p of pools.splice(0)) p.close();
});

function pool(slabBytes = 64 << 10, readySlabs = 2): SlabPool {
  const p = new SlabPool({ slabBytes, readySlabs });
  pools.push(p);
  return p;
}

async function untilReady(p: SlabPool, slabBytes: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const probe = p.alloc(8);
    if (probe.buffer.byteLength === slabBytes) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no touched slab arrived from the worker within 5 s");
}

describe("SlabPool", () => {
  it("serves plain memory until the worker has touched a slab, then views into slabs", async () => {
    const p = pool();
    const first = p.alloc(100);
    expect(first.length).toBe(100);
    expect(first.buffer.byteLength).not.toBe(64 << 10); // nothing ready yet: a plain allocation
    expect(p.fallbacks).toBe(1);
    await untilReady(p, 64 << 10);
    const a = p.alloc(1000);
    const b = p.alloc(1000);
    expect(a.buffer).toBe(b.buffer);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 1000);
    expect(p.alloc(40 << 10).buffer.byteLength).toBe(40 << 10); // over a quarter slab: plain memory
  });

  it("never hands out overlapping bytes, for any sequence of sizes", async () => {
    const p = pool(32 << 10, 3);
    await untilReady(p, 32 << 10);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 1, maxLength: 200 }), async (sizes) => {
        const got = sizes.map((size, i) => {
          const b = p.alloc(size);
          expect(b.length).toBe(size);
          b.fill(i & 0xff);
          return b;
        });
        got.forEach((b, i) => expect(b.every((x) => x === (i & 0xff))).toBe(true));
        await new Promise((r) => setImmediate(r)); // let the worker return slabs between runs
      }),
      { numRuns: 60 },
    );
  });

  it("does not keep a process alive once its work is done", () => {
    // The pool's worker thread must not hold the event loop: a CLI or bench that used it exits.
    const pool = fileURLToPath(new URL("../dist/broadcast/slab-pool.js", import.meta.url));
    const script = `import { SlabPool } from ${JSON.stringify(pool)};
      const p = new SlabPool({ slabBytes: 1 << 16, readySlabs: 2 });
      p.alloc(100);
      setTimeout(() => { p.alloc(100); console.log("done"); }, 200);`;
    const file = join(mkdtempSync(join(tmpdir(), "slab-pool-")), "uses-pool.mjs");
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 10_000 });
    rmSync(dirname(file), { recursive: true, force: true });
    expect(r.error).toBeUndefined(); // a timeout would show here: the process never exited
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("done");
  });
});
