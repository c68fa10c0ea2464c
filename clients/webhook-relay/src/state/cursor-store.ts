// A target's durable cursor: the last server_seqno its receiver acknowledged, with the gateway epoch
// it belongs to, and the batch in flight (its seqno range, written before the POST) so that after a
// crash the same frames are re-sent as the same batch, under the same idempotency key.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic-file.js";

export interface Cursor {
  epoch: string;
  serverSeqno: number;
}

export interface PendingBatch {
  epoch: string;
  firstSeqno: number;
  lastSeqno: number;
}

export interface CursorState {
  cursor: Cursor | null;
  pending: PendingBatch | null;
  /** JSON of the subscription the cursor was taken with: a pending batch means nothing under another. */
  subscription: string;
}

export class CursorStore {
  readonly path: string;

  constructor(stateDir: string, target: string) {
    this.path = join(stateDir, `${target}.cursor.json`);
  }

  /** The saved state, or null when there is none; a corrupt file is an error (never silently reset). */
  load(): CursorState | null {
    if (!existsSync(this.path)) return null;
    const text = readFileSync(this.path, "utf8");
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`cursor file ${this.path} is not valid JSON (${(err as Error).message}); fix or remove it (removing restarts the target from "start")`);
    }
    const c = v.cursor as Record<string, unknown> | null;
    const p = v.pending as Record<string, unknown> | null;
    const ok =
      (c === null || (typeof c?.epoch === "string" && Number.isSafeInteger(c.server_seqno))) &&
      (p === null || (typeof p?.epoch === "string" && Number.isSafeInteger(p.first_seqno) && Number.isSafeInteger(p.last_seqno))) &&
      typeof v.subscription === "string";
    if (!ok) throw new Error(`cursor file ${this.path} does not have the expected shape; fix or remove it`);
    return {
      cursor: c === null ? null : { epoch: c.epoch as string, serverSeqno: c.server_seqno as number },
      pending: p === null ? null : { epoch: p.epoch as string, firstSeqno: p.first_seqno as number, lastSeqno: p.last_seqno as number },
      subscription: v.subscription as string,
    };
  }

  save(state: CursorState): void {
    const body = {
      cursor: state.cursor && { epoch: state.cursor.epoch, server_seqno: state.cursor.serverSeqno },
      pending: state.pending && { epoch: state.pending.epoch, first_seqno: state.pending.firstSeqno, last_seqno: state.pending.lastSeqno },
      subscription: state.subscription,
      saved_at: new Date().toISOString(),
    };
    writeFileAtomic(this.path, `${JSON.stringify(body, null, 2)}\n`);
  }
}
