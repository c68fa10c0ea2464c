// Resident memory and CPU time of a process, from /proc, so every server (ours and each peer) is
// measured the same way from outside, without asking it.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux we run on

/** { rssBytes, cpuSeconds } or null when the process is gone. */
export function procStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(f[11]) + Number(f[12]); // utime + stime
    return { rssBytes: rssKb * 1024, cpuSeconds: ticks / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}
