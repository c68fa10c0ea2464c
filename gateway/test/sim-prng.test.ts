// The simulator's primitives: the seeded generator (determinism is the simulator's contract) and
// keccak256 (checked against well-known Ethereum constants, since topics and slots derive from it).
import { describe, expect, it } from "vitest";
import { Prng } from "../src/producers/sim/prng.js";
import { keccak256, selector } from "../src/producers/sim/keccak.js";

const hex = (u: Uint8Array) => Buffer.from(u).toString("hex");

describe("Prng", () => {
  it("gives the same sequence for the same seed and different ones for different seeds", () => {
    const draw = (seed: number) => {
      const p = new Prng(seed);
      return Array.from({ length: 64 }, () => p.u32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(2 ** 40 + 1)).not.toEqual(draw(1)); // high bits of the seed matter
  });

  it("stays within the requested ranges and is roughly uniform", () => {
    const p = new Prng(7);
    const buckets = new Array(10).fill(0);
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const f = p.float();
      if (!(f >= 0 && f < 1)) outOfRange++;
      buckets[p.int(10)]++;
      const r = p.range(3, 5);
      if (!(r >= 3 && r <= 5)) outOfRange++;
    }
    expect(outOfRange).toBe(0);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(600);
  });

  it("fills bytes and bigints deterministically", () => {
    const a = new Prng(1);
    const b = new Prng(1);
    expect(hex(a.bytes(33))).toBe(hex(b.bytes(33)));
    expect(a.bigBits(256)).toBe(b.bigBits(256));
    expect(a.bigBits(20) < 1n << 20n).toBe(true);
  });

  it("rejects a seed that is not a safe integer", () => {
    expect(() => new Prng(1.5)).toThrow(/safe integer/);
  });
});

describe("keccak256", () => {
  it("matches known Ethereum values", () => {
    expect(hex(keccak256(""))).toBe("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    expect(hex(keccak256("Transfer(address,address,uint256)"))).toBe(
      "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
    );
    expect(hex(selector("transfer(address,uint256)"))).toBe("a9059cbb");
    expect(hex(selector("approve(address,uint256)"))).toBe("095ea7b3");
    expect(hex(selector("balanceOf(address)"))).toBe("70a08231");
  });

  it("handles inputs longer than one 136-byte block", () => {
    // Two different long inputs sharing the first block must differ; and the function is stable.
    const x = keccak256("a".repeat(300));
    expect(hex(x)).toBe(hex(keccak256("a".repeat(300))));
    expect(hex(x)).not.toBe(hex(keccak256("a".repeat(299) + "b")));
    expect(hex(keccak256("a".repeat(136)))).not.toBe(hex(keccak256("a".repeat(135))));
  });
});
