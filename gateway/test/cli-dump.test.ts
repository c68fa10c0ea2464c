// `monad-gateway dump` as a user runs it: real captures, live rings, bad files and bad flags.
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { RingWriter } from "../src/ring/ring-writer.js";
import { spawnChild } from "./helpers/child.js";
import { CLI, runCli } from "./helpers/cli.js";
import { FIXTURE_1B, FIXTURE_30B, fixturesMissing } from "./helpers/fixtures.js";
import { rawBatch } from "./helpers/raw-records.js";
import { removeTempRings, tempRingDir, tempRingPath } from "./helpers/temp-ring.js";

afterEach(removeTempRings);

describe.skipIf(!!fixturesMissing)("dump of the real captures", () => {
  it("prints all 6,597 events of block 15000001 as JSON lines in seqno order", async () => {
    const r = await runCli(["dump", FIXTURE_1B]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const events = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(events.length).toBe(6597);
    expect(events.map((e) => e.seqno)).toEqual(events.map((_, i) => i + 1));
    const count = (name: string) => events.filter((e) => e.event_name === name).length;
    expect([count("BlockStart"), count("TxnHeaderStart"), count("TxnLog"), count("TxnCallFrame")]).toEqual([1, 229, 483, 1179]);
    expect([count("AccountAccessListHeader"), count("AccountAccess"), count("StorageAccess")]).toEqual([231, 1079, 2245]);
    const start = events.find((e) => e.event_name === "BlockStart");
    expect(start.payload).toMatchObject({ block_number: 15000001, gas_limit: 30_000_000, txn_count: 229, chain_id: "0x1" });
    const end = events.find((e) => e.event_name === "BlockEnd");
    expect(end.payload.gas_used).toBe(22_516_578);
    expect(end.payload.eth_block_hash).toMatch(/^0x7a7d7c23[0-9a-f]{52}295e$/);
    // Every transaction event carries its block number, index and hash.
    const log = events.find((e) => e.event_name === "TxnLog");
    expect(log).toMatchObject({ block_number: 15000001, txn_idx: expect.any(Number), txn_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    // timestamp_ns is above 2^53 and must be printed with its exact digits.
    const line = r.stdout.slice(0, r.stdout.indexOf("\n"));
    expect(line).toMatch(/"timestamp_ns":1\d{18}\}$/);
  });

  it("dumps the 30-block capture (136,891 events); --from and --limit select a range", async () => {
    const all = await runCli(["dump", FIXTURE_30B]);
    expect(all.code).toBe(0);
    expect(all.stdout.split("\n").length - 1).toBe(136_891);
    const some = await runCli(["dump", FIXTURE_30B, "--from", "1000", "--limit", "5"]);
    expect(some.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).seqno)).toEqual([1000, 1001, 1002, 1003, 1004]);
  });
});

describe("dump errors", () => {
  it("exits non-zero with a one-line reason for a file that is not a ring", async () => {
    const dir = tempRingDir();
    writeFileSync(`${dir}/notes.txt`, "hello, not a ring at all");
    const r = await runCli(["dump", `${dir}/notes.txt`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/notes\.txt: file is 24 bytes, too small for a ring/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    const missing = await runCli(["dump", `${dir}/absent`]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/cannot open ring .*absent: No such file or directory/);
  });

  it("rejects bad flags with what is valid", async () => {
    const r = await runCli(["dump", "x", "--start", "middle"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--start must be one of oldest, block_start, head, got "middle"/);
    const lim = await runCli(["dump", "x", "--limit=0"]);
    expect(lim.stderr).toMatch(/--limit must be an integer >= 1, got "0"/);
    const unknown = await runCli(["dump", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const cmd = await runCli(["nope"]);
    expect(cmd.stderr).toMatch(/unknown command "nope"; valid commands: serve, dump, sim, replay/);
  });
});

describe("dump --follow", () => {
  it("prints events as a live writer records them", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, { descriptorsShift: 16, payloadBufShift: 27 });
    const dump = spawnChild(process.execPath, [CLI, "dump", path, "--follow"]);
    try {
      // BLOCK_PERF_EVM_ENTER (4) has an empty payload: the simplest valid event.
      const b = rawBatch(Array.from({ length: 3 }, () => ({ type: 4, payload: Buffer.alloc(0) })));
      await new Promise((r) => setTimeout(r, 200));
      w.record(b.buffer, b.count);
      const line = await dump.waitFor(/"seqno":3,/);
      expect(JSON.parse(line)).toMatchObject({ event_name: "BlockPerfEvmEnter", seqno: 3 });
    } finally {
      await dump.kill("SIGINT");
      w.close();
    }
  });
});
