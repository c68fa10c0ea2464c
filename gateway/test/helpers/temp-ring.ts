// Unique ring paths on /dev/shm (tmpfs) that tests clean up after themselves.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
const dirs: string[] = [];

export function tempRingDir(): string {
  const dir = mkdtempSync(join(base, "mgw-test-"));
  dirs.push(dir);
  return dir;
}

export function tempRingPath(name = "ring"): string {
  return join(tempRingDir(), name);
}

export function removeTempRings(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
