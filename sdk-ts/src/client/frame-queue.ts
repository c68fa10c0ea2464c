// The bounded buffer behind `for await (... of client.events())`.
//
// A consumer slower than the stream must not grow memory without bound, and must not lose data
// silently. When a queue is full the client stops taking frames from the connection and closes it,
// leaving its resume cursor at the last frame it accepted; once the consumer has drained the queue
// to half, the client reconnects with ?resume_from and the gateway replays what was missed from its
// resume buffer. So a slow consumer loses nothing while it stays within the gateway's resume window
// (100,000 frames by default), and a consumer further behind gets a `gap` (cursor_too_old), never a
// silent hole. One frame is taken whole, so a queue may exceed its capacity by up to one frame.

export interface QueueHooks {
  /** The queue fell to its low-water mark (or was closed): the client may resume reading. */
  drained(): void;
  /** The consumer stopped iterating (break, return, throw). */
  closed(): void;
}

export class FrameQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: { resolve(r: IteratorResult<T>): void; reject(e: Error): void } | null = null;
  private done = false;
  private failure: Error | null = null;
  private wasFull = false;

  constructor(
    readonly capacity: number,
    private readonly hooks: QueueHooks,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`bufferSize must be an integer >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.full) this.wasFull = true;
  }

  /** No more items: pending and later next() calls finish (or reject with `error`) after the buffered items. */
  end(error?: Error): void {
    if (this.done) return;
    this.done = true;
    if (error) this.failure = error;
    if (this.waiter && this.size === 0) {
      const w = this.waiter;
      this.waiter = null;
      if (this.failure) w.reject(this.failure);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.items[this.head];
      this.items[this.head++] = undefined as T; // let it be collected
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      if (this.wasFull && this.size <= this.capacity / 2) {
        this.wasFull = false;
        this.hooks.drained();
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.done) {
      if (this.failure) {
        const e = this.failure;
        this.failure = null; // reported once; later calls just finish
        return Promise.reject(e);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.items = [];
    this.head = 0;
    const wasDone = this.done;
    this.end();
    if (!wasDone) this.hooks.closed();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
