// Runs `monad-gateway serve` as a real process on a free port, and real WebSocket clients against it.
import WebSocket from "ws";
import { spawnChild, type Child } from "./child.js";
import { CLI } from "./cli.js";

export interface GatewayProcess {
  port: number;
  http: string;
  ws: string;
  child: Child;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startGateway(args: string[], env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const child = spawnChild(process.execPath, [CLI, "serve", "--port", "0", "--host", "127.0.0.1", "--log-level", "warn", ...args], env);
  // The port line goes to stderr; watch both streams.
  const port = await new Promise<number>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${err}`)), 30_000);
    child.proc.stderr.setEncoding("utf8").on("data", (d: string) => {
      err += d;
      const m = /listening on port (\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.proc.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${err}`)));
  });
  return {
    port,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}`,
    child,
    stop: (signal = "SIGTERM") => child.kill(signal),
  };
}

export interface Frame {
  server_seqno: number;
  [kind: string]: unknown;
}

export function frameKind(f: Frame): string {
  return Object.keys(f).find((k) => k !== "server_seqno")!;
}

/** A WebSocket client that records every frame it receives. */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly texts: string[] = [];
  closeCode: number | null = null;
  closeReason = "";
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => {
      const text = d.toString();
      this.texts.push(text);
      this.frames.push(JSON.parse(text));
      this.check();
    });
    ws.on("close", (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.check();
    });
  }

  static connect(url: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const c = new TestClient(ws);
      ws.once("open", () => resolve(c));
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (x) => (body += x));
        res.on("end", () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode, body })));
      });
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === "string" ? msg : JSON.stringify(msg));
  }

  of(kind: string): Frame[] {
    return this.frames.filter((f) => kind in f);
  }

  /** Resolves when `pred` holds (checked after every frame and on close). */
  waitFor(pred: () => boolean, timeoutMs = 20_000, what = "condition"): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${this.frames.length} frames, close ${this.closeCode}`)), timeoutMs);
      this.waiters.push({ pred, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once("close", () => resolve());
      this.ws.close();
    });
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred()) return true;
      w.resolve();
      return false;
    });
  }
}

/** Stream frames (not the per-connection Hello/Resume/Warning/Error). */
export function streamFrames(frames: Frame[]): Frame[] {
  return frames.filter((f) => !("Hello" in f || "Resume" in f || "Warning" in f || "Error" in f));
}
