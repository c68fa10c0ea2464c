// Every process a benchmark starts goes through here, so none outlives the run: all are killed when
// this process exits (normal end, thrown error, Ctrl-C or SIGTERM), and each is also wrapped in
// coreutils `timeout`, so even if this process is SIGKILLed its children stop by themselves.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const live = new Set();
let hooked = false;

/**
 * Starts `cmd args` under `timeout -k 2 <deadlineS>`; returns { child, pid } where pid is the real
 * process (timeout's child: the one whose RSS and CPU we measure), resolved once it exists.
 */
export async function startChild(cmd, args, { deadlineS, env, stdio = ["pipe", "pipe", "pipe"] }) {
  hook();
  const child = spawn("timeout", ["-k", "2", String(Math.ceil(deadlineS)), cmd, ...args], { stdio, env: env ?? process.env });
  const entry = { child, pid: 0 };
  live.add(entry);
  child.once("exit", () => live.delete(entry));
  entry.pid = await realPid(child);
  return entry;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopChild(entry, graceMs = 3000) {
  const { child, pid } = entry;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  signal(pid, "SIGTERM");
  const t = setTimeout(() => {
    signal(pid, "SIGKILL");
    signal(child.pid, "SIGKILL");
  }, graceMs);
  await exited;
  clearTimeout(t);
}

function signal(pid, sig) {
  try {
    if (pid > 0) process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** timeout forks the command at once; read its pid from /proc (retrying briefly). */
async function realPid(child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) return 0;
    try {
      const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim();
      if (kids) return Number(kids.split(/\s+/)[0]);
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`could not find the process started by timeout (pid ${child.pid})`);
}

function killAll() {
  for (const { child, pid } of live) {
    signal(pid, "SIGKILL");
    signal(child.pid, "SIGKILL");
  }
}

function hook() {
  if (hooked) return;
  hooked = true;
  process.on("exit", killAll);
  for (const s of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(s, () => {
      killAll();
      process.exit(128 + (s === "SIGINT" ? 2 : s === "SIGTERM" ? 15 : 1));
    });
  }
}

/**
 * Keeps reading a child's output (a pipe nobody reads fills up and blocks the child) and remembers
 * the last few KiB for error messages; `waitFor(re, ms)` resolves with the first match of `re`.
 */
export function watchOutput(stream, what) {
  let text = "";
  let ended = false;
  const waiters = new Set();
  stream.setEncoding("utf8");
  stream.on("data", (d) => {
    text += d;
    for (const w of waiters) w.check();
    if (text.length > 65536) text = text.slice(-8192);
  });
  stream.on("end", () => {
    ended = true;
    for (const w of waiters) w.check();
  });
  return {
    tail: () => text.slice(-2000),
    waitFor(re, ms) {
      return new Promise((resolve, reject) => {
        const w = {
          check() {
            const m = re.exec(text);
            if (m) done(null, m);
            else if (ended) done(new Error(`${what}: exited before printing ${re}; last output: ${text.slice(-1000)}`));
          },
        };
        const t = setTimeout(() => done(new Error(`${what}: no ${re} within ${ms} ms; last output: ${text.slice(-1000)}`)), ms);
        function done(err, m) {
          clearTimeout(t);
          waiters.delete(w);
          if (err) reject(err);
          else resolve(m);
        }
        waiters.add(w);
        w.check();
      });
    },
  };
}
