// Undo log for the simulated world state.
//
// A block that fails (BLOCK_REJECT, EVM_ERROR, or a rejected transaction) is discarded by a real
// node: the next proposal re-executes from the parent's state. The simulator mutates nonces,
// balances and hot slot values while it plans a block, so it journals each old value and rolls
// them back when the block fails. That keeps e.g. per-sender nonces gap-free on the chain of
// committed blocks, which a consumer may well check.

export class Journal {
  private readonly undo: Array<() => void> = [];

  /** Remembers how to restore one piece of state; call before changing it. */
  record(restore: () => void): void {
    this.undo.push(restore);
  }

  /** The block committed: forget the undo information. */
  commit(): void {
    this.undo.length = 0;
  }

  /** The block failed: restore every recorded value, newest first. */
  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]();
    this.undo.length = 0;
  }
}
