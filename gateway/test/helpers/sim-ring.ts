// A simulator process writing a real ring, for gateway tests.
import { spawnChild, type Child } from "./child.js";
import { CLI } from "./cli.js";
import { tempRingPath } from "./temp-ring.js";

export async function startSimRing(args: string[] = [], path = tempRingPath()): Promise<{ path: string; child: Child }> {
  const child = spawnChild(process.execPath, [CLI, "sim", "--ring", path, "--keep", ...args]);
  await child.waitFor(/simulating a Monad chain/);
  return { path, child };
}
