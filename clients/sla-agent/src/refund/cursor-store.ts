// The RefundExecutor's durable position: the gateway cursor (server_seqno + epoch) after the last
// frame whose breaches are all handled, and the newest finalized block seen by then (where a chain
// backfill restarts after a gap). Written to a temporary file, fsynced, renamed over the old one and
// the folder fsynced, so a crash at any moment leaves either the old cursor or the new one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface RefundCursor {
  chainId: number;
  oracle: string;
  epoch: string | null;
  /** Decimal string: server_seqnos are 64-bit. */
  serverSeqno: string | null;
  /** Newest finalized block whose breaches are handled. */
  block: number;
}

export class CursorStore {
  readonly file: string;

  constructor(private readonly dir: string) {
    this.file = join(dir, "refund-cursor.json");
  }

  /** The saved cursor, or null when there is none (first start). A corrupt file is an error, not a reset. */
  load(): RefundCursor | null {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    const c = JSON.parse(text) as RefundCursor;
    if (!Number.isInteger(c.chainId) || typeof c.oracle !== "string" || !Number.isInteger(c.block))
      throw new Error(`the refund cursor ${this.file} is corrupt; move it away to rescan from the oracle's deployment block`);
    return c;
  }

  save(c: RefundCursor): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, `${JSON.stringify(c)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    const dirFd = openSync(this.dir, "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
