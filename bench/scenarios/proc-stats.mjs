// Resident memory and CPU time of a process, and the machine's CPU time by kind, from /proc, so every
// server (ours and each peer) is measured the same way from outside, without asking it.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux we run on

/** { rssBytes, cpuSeconds, userSeconds, systemSeconds } or null when the process is gone. */
export function procStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const user = Number(f[11]) / TICKS_PER_SECOND;
    const system = Number(f[12]) / TICKS_PER_SECOND;
    return { rssBytes: rssKb * 1024, cpuSeconds: user + system, userSeconds: user, systemSeconds: system };
  } catch {
    return null;
  }
}

const MACHINE_FIELDS = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"];

/** The machine's CPU seconds since boot, summed over cores, by kind (the "cpu" line of /proc/stat). */
export function machineCpu() {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  return Object.fromEntries(MACHINE_FIELDS.map((k, i) => [k, (v[i] ?? 0) / TICKS_PER_SECOND]));
}

/** Per-field difference b − a, divided by `seconds`: cores busy in each kind over the interval. */
export function cpuRates(a, b, seconds) {
  return Object.fromEntries(Object.keys(b).map((k) => [k, (b[k] - a[k]) / seconds]));
}
