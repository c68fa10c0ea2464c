// A typed listener registry (on/once/off/emit) that works the same in Node and browsers, so the SDK
// needs neither node:events nor EventTarget.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;

export class Emitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly listeners = new Map<keyof Events, Listener[]>();

  /**
   * Called when a listener throws. A listener's bug must not break the client's frame processing
   * (the old SDK swallowed such errors silently; the client reports them as "error" instead).
   */
  protected listenerFailed(_event: keyof Events, _err: unknown): void {}

  on<K extends keyof Events>(event: K, listener: Events[K]): this {
    const list = this.listeners.get(event);
    if (list) list.push(listener);
    else this.listeners.set(event, [listener]);
    return this;
  }

  once<K extends keyof Events>(event: K, listener: Events[K]): this {
    const wrapper = ((...args: Parameters<Events[K]>) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Events[K];
    (wrapper as { listener?: Listener }).listener = listener;
    return this.on(event, wrapper);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): this {
    const list = this.listeners.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || (l as { listener?: Listener }).listener === listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(event);
    return this;
  }

  /** Number of listeners for `event`. */
  listenerCount(event: keyof Events): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  protected emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const list = this.listeners.get(event);
    if (!list) return;
    // A copy: listeners may remove themselves (once) or others while we iterate.
    for (const l of list.length === 1 ? list : [...list]) {
      try {
        l(...args);
      } catch (err) {
        this.listenerFailed(event, err);
      }
    }
  }
}
