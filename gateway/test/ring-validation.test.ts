// Each way a ring file can be wrong yields an error naming the file and what was expected vs found.
import { truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXEC_SCHEMA_HASH } from "../src/ring/exec-schema.js";
import { RingReader } from "../src/ring/ring-reader.js";
import { removeTempRings, tempRingDir } from "./helpers/temp-ring.js";

const MiB = 1 << 20;

function header(fields: { magic?: string; contentType?: number; hash?: string; cap?: bigint; pay?: bigint; ctx?: bigint }) {
  const h = Buffer.alloc(192);
  h.write(fields.magic ?? "RING01", 0, "latin1");
  h.writeUInt16LE(fields.contentType ?? 2, 6);
  Buffer.from(fields.hash ?? EXEC_SCHEMA_HASH, "hex").copy(h, 8);
  h.writeBigUInt64LE(fields.cap ?? 1n << 16n, 40);
  h.writeBigUInt64LE(fields.pay ?? 1n << 27n, 48);
  h.writeBigUInt64LE(fields.ctx ?? 0n, 56);
  return h;
}

function ringFile(dir: string, name: string, h: Buffer, size = 2 * MiB + 64 * 65536 + 128 * MiB): string {
  const path = join(dir, name);
  const file = Buffer.alloc(Math.min(size, 4096));
  h.copy(file);
  writeFileSync(path, file);
  // Extend sparsely to the full size.
  if (size > file.length) {
    truncateSync(path, size);
  }
  return path;
}

function openError(path: string): { code: string; message: string } {
  try {
    RingReader.open(path).close();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error(`opening ${path} unexpectedly succeeded`);
}

describe("ring validation", () => {
  const dir = tempRingDir();
  afterAll(removeTempRings);

  it("accepts a well-formed ring", () => {
    const r = RingReader.open(ringFile(dir, "good", header({})), { startAt: "head" });
    expect(r.info().descriptorCapacity).toBe(65536);
    expect(r.poll().status).toBe(1); // NOT_READY on an idle ring
    r.close();
  });

  it("missing file", () => {
    const e = openError(join(dir, "absent"));
    expect(e.code).toBe("ERING_OPEN");
    expect(e.message).toContain(join(dir, "absent"));
    expect(e.message).toMatch(/No such file/);
  });

  it("too small", () => {
    const path = join(dir, "tiny");
    writeFileSync(path, Buffer.from("RING01"));
    const e = openError(path);
    expect(e.code).toBe("ERING_TOO_SMALL");
    expect(e.message).toMatch(/6 bytes/);
  });

  it("wrong magic", () => {
    const e = openError(ringFile(dir, "magic", header({ magic: "NOPE!!" })));
    expect(e.code).toBe("ERING_MAGIC");
    expect(e.message).toMatch(/expected the magic "RING01"/);
  });

  it("content type not EXEC", () => {
    const e = openError(ringFile(dir, "ctype", header({ contentType: 1 })));
    expect(e.code).toBe("ERING_CONTENT_TYPE");
    expect(e.message).toMatch(/content type is 1 \(TEST\), expected 2 \(EXEC\)/);
  });

  it("schema hash of another Monad version, with both hashes", () => {
    const old = "ddc58d9afcabb6ae55d525d281ef9fd2f9b4dbceb27ac118067cdafd70e9016b";
    const e = openError(ringFile(dir, "schema", header({ hash: old })));
    expect(e.code).toBe("ERING_SCHEMA");
    expect(e.message).toContain(old);
    expect(e.message).toContain(EXEC_SCHEMA_HASH);
    expect(e.message).toMatch(/another Monad version/);
  });

  it("sizes that are not powers of two", () => {
    const e = openError(ringFile(dir, "cap", header({ cap: 65537n })));
    expect(e.code).toBe("ERING_SIZES");
    expect(e.message).toMatch(/descriptor capacity is 65537; expected a power of two/);
    const p = openError(ringFile(dir, "pay", header({ pay: (1n << 27n) + 16n })));
    expect(p.code).toBe("ERING_SIZES");
    expect(p.message).toMatch(/payload buffer size/);
  });

  it("file shorter than its header says", () => {
    const e = openError(ringFile(dir, "short", header({}), 2 * MiB + 64 * 65536));
    expect(e.code).toBe("ERING_TRUNCATED");
    expect(e.message).toMatch(/header describes/);
  });

  it("a ring name without a hugetlbfs mount says how to fix it", () => {
    try {
      RingReader.open("definitely-not-a-ring-name-xyz");
    } catch (err) {
      const e = err as { code: string; message: string };
      expect(e.code).toBe("ERING_OPEN");
      expect(e.message).toMatch(/hugetlbfs|cannot open ring/);
      return;
    }
    throw new Error("expected an error");
  });

  it("a directory is not a ring", () => {
    const e = openError(dir + "/");
    expect(e.code).toBe("ERING_OPEN");
  });
});
