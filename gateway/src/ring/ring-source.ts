// What a user may name as a ring: a live ring file, a ring name under hugetlbfs, or a snapshot.
import { closeSync, existsSync, openSync, readSync } from "node:fs";

export const DEFAULT_RING_NAME = "monad-exec-events";
const ZSTD_MAGIC = 0xfd2fb528;

/** True when `path` starts with a zstd frame, i.e. is a compressed ring snapshot. */
export function isSnapshotFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return false; // let the ring open report the real error
  }
  try {
    const head = Buffer.alloc(4);
    return readSync(fd, head, 0, 4, 0) === 4 && head.readUInt32LE(0) === ZSTD_MAGIC;
  } catch {
    return false; // a directory, say: the ring open reports it
  } finally {
    closeSync(fd);
  }
}

/**
 * A ring named on the command line: an existing file in the working directory counts as a path
 * even without a '/', so `dump capture.zst` does what it says; other names resolve under hugetlbfs.
 */
export function cliRingSource(arg: string): string {
  return !arg.includes("/") && existsSync(arg) ? `./${arg}` : arg;
}
