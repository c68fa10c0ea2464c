// The real Monad ring snapshots live outside the repo, in ../shared/fixtures; tests skip without them.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { recordSize, REC_PAYLOAD_SIZE } from "../../src/ring/event-record.js";
import { RingReader } from "../../src/ring/ring-reader.js";

const dir = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));

export const FIXTURE_1B = `${dir}emn-1b-15m.snapshot`;
export const FIXTURE_30B = `${dir}emn-30b-15m.snapshot.zst`;

/** Why fixture tests are skipped, or "" when the fixtures are present. */
export const fixturesMissing =
  existsSync(FIXTURE_1B) && existsSync(FIXTURE_30B) ? "" : `real ring snapshots not found in ${dir} (../shared/fixtures)`;
if (fixturesMissing) console.warn(`skipping fixture tests: ${fixturesMissing}`);

/** A fixture suite's name, saying why it is skipped when the snapshots are absent. */
export function fixtureSuite(name: string): string {
  return fixturesMissing ? `${name} (skipped: ${fixturesMissing})` : name;
}

/** Every record of a ring snapshot in one buffer, with each record's offset. */
export function snapshotRecords(path: string): { batch: Buffer; offsets: number[] } {
  const reader = RingReader.open(path);
  const parts: Buffer[] = [];
  for (let b = reader.poll(8192); b.count > 0; b = reader.poll(8192)) parts.push(Buffer.from(b.buffer.subarray(0, b.bytes)));
  reader.close();
  const batch = Buffer.concat(parts);
  const offsets: number[] = [];
  for (let r = 0; r < batch.length; r += recordSize(batch.readUInt32LE(r + REC_PAYLOAD_SIZE))) offsets.push(r);
  return { batch, offsets };
}
