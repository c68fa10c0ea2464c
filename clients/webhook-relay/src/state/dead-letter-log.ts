// A target's dead-letter log: an append-only NDJSON file (fsynced per record) of what could not be
// delivered — batches the receiver rejected or that ran out of attempts, with their full bodies so
// they can be redelivered — and of gaps: frames the gateway could no longer give the relay. Later
// lines record redeliveries. Memory holds the entries without bodies; a body is read back on demand.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";

export type DeadLetterReason = "rejected" | "retries_exhausted" | "gap";

export interface DeadLetterEntry {
  id: number;
  target: string;
  at: string;
  reason: DeadLetterReason;
  /** What went wrong, in words. */
  detail: string;
  epoch: string | null;
  first_seqno: number | null;
  /** null: the end of the lost range is unknown. */
  last_seqno: number | null;
  /** Batches: the idempotency key, the receiver's last answer, events in the batch. */
  idempotency_key?: string;
  status?: number;
  response?: string;
  events?: number;
  /** Gaps: why (SDK gap reasons: cursor_too_old, gateway_restarted, ring_gap, ...). */
  gap_reason?: string;
  /** Set once a redelivery succeeded. */
  redelivered_at?: string;
}

interface BodyLine {
  entry: DeadLetterEntry;
  body?: string;
}
interface RedeliveredLine {
  redelivered: number;
  at: string;
}

export class DeadLetterLog {
  readonly path: string;
  private readonly entries = new Map<number, DeadLetterEntry>();
  private nextId = 1;

  constructor(
    stateDir: string,
    readonly target: string,
  ) {
    this.path = join(stateDir, `${target}.dlq.ndjson`);
    if (existsSync(this.path)) this.replay();
  }

  get size(): number {
    return this.entries.size;
  }

  list(): DeadLetterEntry[] {
    return [...this.entries.values()];
  }

  get(id: number): DeadLetterEntry | undefined {
    return this.entries.get(id);
  }

  /** The stored body of a batch entry (read back from the file). */
  body(id: number): string | undefined {
    for (const line of this.lines()) if ("entry" in line && line.entry.id === id) return line.body;
    return undefined;
  }

  /** Records a dead letter; the same batch again (a crash before its cursor was saved) is recorded once. */
  add(fields: Omit<DeadLetterEntry, "id" | "target" | "at">, body?: string): DeadLetterEntry {
    if (fields.idempotency_key !== undefined) {
      const same = [...this.entries.values()].find((e) => e.idempotency_key === fields.idempotency_key && e.redelivered_at === undefined);
      if (same) return same;
    }
    const entry: DeadLetterEntry = { id: this.nextId++, target: this.target, at: new Date().toISOString(), ...fields };
    this.append({ entry, ...(body !== undefined ? { body } : {}) });
    this.entries.set(entry.id, entry);
    return entry;
  }

  markRedelivered(id: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const at = new Date().toISOString();
    this.append({ redelivered: id, at });
    entry.redelivered_at = at;
  }

  private append(line: BodyLine | RedeliveredLine): void {
    const fd = openSync(this.path, "a", 0o600);
    try {
      writeSync(fd, `${JSON.stringify(line)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private *lines(): Generator<BodyLine | RedeliveredLine> {
    if (!existsSync(this.path)) return;
    for (const text of readFileSync(this.path, "utf8").split("\n")) {
      if (text.trim() === "") continue;
      try {
        yield JSON.parse(text) as BodyLine | RedeliveredLine;
      } catch {
        // A line torn by a crash mid-append: nothing after it was acknowledged as written.
      }
    }
  }

  private replay(): void {
    for (const line of this.lines()) {
      if ("entry" in line) {
        this.entries.set(line.entry.id, line.entry);
        this.nextId = Math.max(this.nextId, line.entry.id + 1);
      } else {
        const e = this.entries.get(line.redelivered);
        if (e) e.redelivered_at = line.at;
      }
    }
  }
}
