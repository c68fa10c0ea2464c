// What the gateway says a subscription selected: the stream frames after `after` up to `upTo`
// (inclusive), read from its resume buffer by a plain WebSocket client — the truth the relay's
// deliveries are compared with.
import { streamFrames, TestClient } from "../../../../gateway/test/helpers/gateway-process.js";

export async function referenceSeqnos(ws: string, path: string, subscription: unknown, epoch: string, after: number, upTo: number): Promise<number[]> {
  const q = new URLSearchParams({ resume_from: String(after), epoch, subscribe: JSON.stringify(subscription) });
  const c = await TestClient.connect(`${ws}${path}?${q}`);
  try {
    const resume = c.frames.length > 1 ? c.frames[1] : (await c.waitFor(() => c.frames.length > 1, 10_000, "Resume"), c.frames[1]);
    if ((resume.Resume as { mode: string }).mode !== "resume") throw new Error(`reference client got no replay: ${JSON.stringify(resume)}`);
    await c.waitFor(() => streamFrames(c.frames).some((f) => f.server_seqno >= upTo), 20_000, `frames up to ${upTo}`);
    return streamFrames(c.frames)
      .map((f) => f.server_seqno)
      .filter((s) => s > after && s <= upTo);
  } finally {
    await c.close();
  }
}

/** Seqnos delivered, checked for order within batches and key consistency: a seqno delivered twice must come under the same key. */
export function checkDuplicatesShareKeys(frames: { epoch: string; seqno: number; key: string }[]): { unique: number[]; duplicates: number } {
  const keyOf = new Map<string, string>();
  let duplicates = 0;
  for (const f of frames) {
    const id = `${f.epoch}:${f.seqno}`;
    const k = keyOf.get(id);
    if (k === undefined) keyOf.set(id, f.key);
    else {
      duplicates++;
      if (k !== f.key) throw new Error(`frame ${id} delivered under two keys: ${k} and ${f.key}`);
    }
  }
  const unique = [...new Set(frames.map((f) => f.seqno))].sort((a, b) => a - b);
  return { unique, duplicates };
}
