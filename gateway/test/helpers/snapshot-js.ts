// Pure-JS test oracle for ring snapshots: decompress a zstd RING01 image, parse its header, and
// build batch records (ring/event-record.ts layout) for seqnos 1..last_seqno, exactly what the
// native reader should produce for the same file. Deliberately simple and independent of the
// native addon so the two can be compared.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

import { CONTENT_TYPE_EXEC, EXEC_SCHEMA_HASH } from "../../src/decode/event-types.js";
import { DESCRIPTOR_SIZE, REC_PAYLOAD_BUF_OFFSET, REC_PAYLOAD_SIZE, REC_SEQNO, recordSize } from "../../src/ring/event-record.js";

import { FIXTURE_1B, FIXTURE_30B, fixturesMissing } from "./fixtures.js";

export { FIXTURE_1B, FIXTURE_30B };
const ZSTD = "/usr/bin/zstd";

/** Why fixture tests must skip, or undefined when the fixtures and zstd are available. */
export function fixturesSkipReason(): string | undefined {
  if (fixturesMissing) return fixturesMissing;
  if (!existsSync(ZSTD)) return `${ZSTD} not found`;
  return undefined;
}

/** Every section of a ring file starts on a 2 MiB boundary; the header section is 2 MiB. */
const HEADER_SECTION = 1 << 21;

export interface RingHeader {
  contentType: number;
  schemaHash: string;
  descriptorCapacity: number;
  payloadBufSize: number;
  contextAreaSize: number;
  lastSeqno: number;
  nextPayloadByte: number;
  bufferWindowStart: number;
}

export interface SnapshotImage {
  header: RingHeader;
  /** The whole ring image, zero-padded to its computed size. */
  image: Buffer;
}

function u64(b: Buffer, o: number): number {
  const v = b.readBigUInt64LE(o);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`header field at ${o} too large: ${v}`);
  return Number(v);
}

/** Parses and validates the 192-byte monad_event_ring_header. */
export function parseHeader(b: Buffer): RingHeader {
  const magic = b.toString("latin1", 0, 6);
  if (magic !== "RING01") throw new Error(`bad ring magic ${JSON.stringify(magic)}`);
  const header: RingHeader = {
    contentType: b.readUInt16LE(6),
    schemaHash: b.toString("hex", 8, 40),
    descriptorCapacity: u64(b, 40),
    payloadBufSize: u64(b, 48),
    contextAreaSize: u64(b, 56),
    lastSeqno: u64(b, 64),
    nextPayloadByte: u64(b, 72),
    bufferWindowStart: u64(b, 128),
  };
  if (header.contentType !== CONTENT_TYPE_EXEC) throw new Error(`content type ${header.contentType} is not EXEC`);
  if (header.schemaHash !== EXEC_SCHEMA_HASH) throw new Error(`unsupported schema hash ${header.schemaHash}`);
  return header;
}

export function imageSize(h: RingHeader): number {
  return HEADER_SECTION + h.descriptorCapacity * DESCRIPTOR_SIZE + h.payloadBufSize + h.contextAreaSize;
}

/**
 * Decompresses `file` with the zstd binary, streaming into one Buffer of the computed image size
 * (the fixtures decompress 8 bytes short of it; the tail must read as zeros, as with mmap).
 */
export function loadSnapshot(file: string): Promise<SnapshotImage> {
  return new Promise((resolve, reject) => {
    const child = spawn(ZSTD, ["-dc", file], { stdio: ["ignore", "pipe", "pipe"] });
    let image: Buffer | undefined;
    let header: RingHeader | undefined;
    let pending: Buffer[] = [];
    let written = 0;
    let stderr = "";
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      child.kill();
      reject(e);
    };
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      if (failed) return;
      try {
        if (image === undefined) {
          pending.push(chunk);
          const head = Buffer.concat(pending);
          if (head.length < 192) return;
          header = parseHeader(head);
          image = Buffer.alloc(imageSize(header));
          pending = [];
          chunk = head;
        }
        if (written + chunk.length > image.length) throw new Error(`${file} decompresses to more than ${image.length} bytes`);
        chunk.copy(image, written);
        written += chunk.length;
      } catch (e) {
        fail(e as Error);
      }
    });
    child.on("error", fail);
    child.on("close", (code) => {
      if (failed) return;
      if (code !== 0) return fail(new Error(`zstd -dc ${file} exited with ${code}: ${stderr.trim()}`));
      if (image === undefined || header === undefined) return fail(new Error(`${file}: no ring header`));
      resolve({ header, image });
    });
  });
}

/**
 * Batch records for seqnos [from, to] (default 1..last_seqno), read the way a reader does: the
 * descriptor slot is (seqno-1) & (capacity-1), its seqno must equal the one asked for, and the
 * payload (at offset & (size-1), in two parts if it wraps) must not have expired.
 */
export function snapshotToBatch(snap: SnapshotImage, from = 1, to = snap.header.lastSeqno): Buffer {
  const { header: h, image } = snap;
  const descBase = HEADER_SECTION;
  const payloadBase = HEADER_SECTION + h.descriptorCapacity * DESCRIPTOR_SIZE;
  const mask = h.descriptorCapacity - 1;
  const slot = (seqno: number) => descBase + ((seqno - 1) & mask) * DESCRIPTOR_SIZE;

  let total = 0;
  for (let s = from; s <= to; s++) total += recordSize(image.readUInt32LE(slot(s) + REC_PAYLOAD_SIZE));
  const out = Buffer.alloc(total);

  let w = 0;
  for (let s = from; s <= to; s++) {
    const d = slot(s);
    const found = u64(image, d + REC_SEQNO);
    if (found !== s) throw new Error(`descriptor for seqno ${s} holds seqno ${found} (overwritten or not written)`);
    const size = image.readUInt32LE(d + REC_PAYLOAD_SIZE);
    const unwrapped = u64(image, d + REC_PAYLOAD_BUF_OFFSET);
    if (unwrapped < h.bufferWindowStart) throw new Error(`payload of seqno ${s} expired`);
    image.copy(out, w, d, d + DESCRIPTOR_SIZE);
    const phys = unwrapped % h.payloadBufSize;
    const first = Math.min(size, h.payloadBufSize - phys);
    image.copy(out, w + DESCRIPTOR_SIZE, payloadBase + phys, payloadBase + phys + first);
    if (first < size) image.copy(out, w + DESCRIPTOR_SIZE + first, payloadBase, payloadBase + size - first);
    w += recordSize(size);
  }
  return out;
}

/** Offsets of every record in a batch (test convenience). */
export function recordOffsets(batch: Buffer): number[] {
  const offs: number[] = [];
  for (let r = 0; r < batch.length; r += recordSize(batch.readUInt32LE(r + REC_PAYLOAD_SIZE))) offs.push(r);
  return offs;
}
