// A child must not outlive its parent, even one killed with SIGKILL.
/** Set by a parent that runs this command as its child (the embedded producer of `serve --sim`). */
export const EXIT_WITH_PARENT_ENV = "MONAD_GATEWAY_EXIT_WITH_PARENT";

/**
 * A child must not outlive its parent, even one killed with SIGKILL: the parent holds our stdin
 * pipe and never writes to it, so end-of-file means the parent is gone; we then stop as on SIGTERM
 * (a simulator removes its ring).
 */
export function exitWithParent(): void {
  if (process.env[EXIT_WITH_PARENT_ENV] !== "1") return;
  process.stdin.on("end", () => process.kill(process.pid, "SIGTERM"));
  process.stdin.on("error", () => process.kill(process.pid, "SIGTERM"));
  process.stdin.resume();
  process.stdin.unref?.(); // watching the pipe never keeps the process alive by itself
}

