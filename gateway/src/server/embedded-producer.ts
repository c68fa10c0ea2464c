// The embedded event source for `serve --sim` / `serve --replay`: the simulator or the replayer runs as
// a child process writing a real ring, exactly like a validator would, so the gateway reads it through
// the same path as production (and a producer crash cannot take the gateway down).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { EXIT_WITH_PARENT_ENV } from "../cli/exit-with-parent.js";

const CLI = fileURLToPath(new URL("../../bin/monad-gateway.js", import.meta.url));

export interface ProducerLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

export class EmbeddedProducer {
  private child: ChildProcess | null = null;
  private stopping = false;
  private restarts = 0;

  constructor(
    readonly ringPath: string,
    private readonly args: string[],
    private readonly log: ProducerLog,
    /** Restart the producer when it exits (the simulator runs forever; a replay ends). */
    private readonly restart: boolean,
  ) {}

  start(): void {
    // stdin is a pipe we never write to: if this process dies, even by SIGKILL, the child sees its
    // end and stops (EXIT_WITH_PARENT_ENV), so no simulator is left writing a ring for nobody.
    const child = spawn(process.execPath, [CLI, ...this.args], {
      stdio: ["pipe", "ignore", "pipe"],
      env: { ...process.env, [EXIT_WITH_PARENT_ENV]: "1" },
    });
    this.child = child;
    child.stderr?.setEncoding("utf8").on("data", (d: string) => this.log.info({ producer: this.args[0] }, d.trim()));
    child.on("exit", (code, signal) => {
      this.child = null;
      if (this.stopping) return;
      this.log.warn({ code, signal, producer: this.args[0] }, "embedded producer exited");
      if (this.restart && this.restarts++ < 1000) setTimeout(() => this.stopping || this.start(), 1000).unref();
    });
  }

  /** Resolves once the producer has created its ring (or after `timeoutMs`). */
  async ready(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.ringPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  get pid(): number | undefined {
    return this.child?.pid ?? undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
      setTimeout(() => c.kill("SIGKILL"), 3000).unref();
    });
  }
}
