// A real HTTP receiver (node:http) for relay tests: records every request, verifies signatures with
// the relay's own recipe, and answers as the test tells it to (status, headers, or not at all).
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseJson } from "../../../../sdk-ts/src/index.js";
import { verifySignature } from "../../src/delivery/signature.js";

export interface ReceivedBatch {
  at: number;
  key: string;
  signatureOk: boolean | null;
  signatureProblem?: string;
  body: {
    target: string;
    idempotency_key: string;
    epoch: string;
    first_seqno: number;
    last_seqno: number;
    event_count: number;
    frames: { server_seqno: number; [kind: string]: unknown }[];
  };
  /** What the receiver answered. */
  status: number;
}

export type Answer = { status: number; headers?: Record<string, string> } | "hang";

export class Receiver {
  readonly requests: ReceivedBatch[] = [];
  /** Decides the answer to each request; default 200. */
  answer: (req: IncomingMessage, n: number) => Answer = () => ({ status: 200 });
  private server: Server | null = null;
  private hanging: ServerResponse[] = [];
  port = 0;

  constructor(private readonly secret: string | null = null) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Accepted batches (2xx). */
  get accepted(): ReceivedBatch[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Closes the port (connections are refused until start(sameport) again). */
  async stop(): Promise<void> {
    for (const r of this.hanging.splice(0)) r.destroy();
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let signatureOk: boolean | null = null;
      let signatureProblem: string | undefined;
      if (this.secret !== null) {
        const v = verifySignature(this.secret, { timestamp: req.headers["x-relay-timestamp"] as string, signature: req.headers["x-relay-signature"] as string }, raw);
        signatureOk = v.ok;
        if (!v.ok) signatureProblem = v.reason;
      }
      const a = this.answer(req, this.requests.length);
      const body = parseJson(raw.toString("utf8")) as ReceivedBatch["body"];
      for (const f of body.frames) f.server_seqno = Number(f.server_seqno);
      this.requests.push({ at: Date.now(), key: String(req.headers["idempotency-key"]), signatureOk, ...(signatureProblem ? { signatureProblem } : {}), body, status: a === "hang" ? 0 : a.status });
      if (a === "hang") {
        this.hanging.push(res);
        return;
      }
      res.writeHead(a.status, { "content-type": "text/plain", ...a.headers });
      res.end(a.status < 300 ? "ok" : `no (${a.status})`);
    });
  }
}

/** Every (epoch, seqno) accepted, in order of arrival. */
export function acceptedFrames(r: Receiver, epoch?: string): { epoch: string; seqno: number; key: string }[] {
  return r.accepted.flatMap((b) => (epoch === undefined || b.body.epoch === epoch ? b.body.frames.map((f) => ({ epoch: b.body.epoch, seqno: f.server_seqno, key: b.key })) : []));
}
