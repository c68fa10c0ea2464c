// Fixed-capacity containers: the page runs for days, so everything it keeps has a ceiling.

/** Parallel x/y arrays for a chart, trimmed to the last `capacity` points and `windowSecs` of x. */
export class BoundedSeries {
  readonly xs: number[] = [];
  readonly ys: (number | null)[] = [];

  constructor(
    readonly capacity: number,
    readonly windowSecs = Infinity,
  ) {}

  push(x: number, y: number | null): void {
    // A break (null) right after another break adds nothing.
    if (y === null && this.ys.length > 0 && this.ys[this.ys.length - 1] === null) return;
    this.xs.push(x);
    this.ys.push(y);
    let drop = Math.max(0, this.xs.length - this.capacity);
    while (drop < this.xs.length && x - this.xs[drop] > this.windowSecs) drop++;
    if (drop > 0) {
      this.xs.splice(0, drop);
      this.ys.splice(0, drop);
    }
  }

  get length(): number {
    return this.xs.length;
  }

  /** The newest non-null value. */
  get last(): number | null {
    for (let i = this.ys.length - 1; i >= 0; i--) if (this.ys[i] !== null) return this.ys[i];
    return null;
  }

  clear(): void {
    this.xs.length = 0;
    this.ys.length = 0;
  }
}

/** The newest `capacity` items, newest first. */
export class RecentList<T> {
  private readonly items: T[] = [];

  constructor(readonly capacity: number) {}

  add(item: T): void {
    this.items.unshift(item);
    if (this.items.length > this.capacity) this.items.length = this.capacity;
  }

  get all(): readonly T[] {
    return this.items;
  }
}
