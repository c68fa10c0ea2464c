// Public commit stages of a block, as numbers for the hot path and as the wire names of the Rust
// gateway's `BlockStage` (PascalCase) for output.
//
// Happy path: Proposed → Voted → Finalized → Verified. Rejected is reachable from every stage but
// Verified. Verified and Rejected are terminal.

import type { CommitStage } from "../decode/payload-types.js";

export type { CommitStage };

export enum Stage {
  Proposed = 0,
  Voted = 1,
  Finalized = 2,
  Verified = 3,
  Rejected = 4,
}

/** Wire names indexed by Stage. */
export const STAGE_NAMES: readonly CommitStage[] = Object.freeze(["Proposed", "Voted", "Finalized", "Verified", "Rejected"]);

/** The stages a block passes on the happy path, in order (the keys of stage_timings_ms, too). */
export const FORWARD_STAGES: readonly Stage[] = Object.freeze([Stage.Proposed, Stage.Voted, Stage.Finalized, Stage.Verified]);

export function stageName(s: Stage): CommitStage {
  return STAGE_NAMES[s];
}

/** Wire name → Stage, undefined for anything else (e.g. an unknown `min_stage` string). */
export function stageFromName(name: string): Stage | undefined {
  const i = (STAGE_NAMES as readonly string[]).indexOf(name);
  return i < 0 ? undefined : (i as Stage);
}

export function isTerminal(s: Stage): boolean {
  return s === Stage.Verified || s === Stage.Rejected;
}

/**
 * Whether a block in stage `from` may move to `to`: forward only, Rejected from any non-terminal
 * stage. (The Rust gateway allows the same moves: its terminal blocks leave the active set.)
 */
export function canAdvance(from: Stage, to: Stage): boolean {
  if (isTerminal(from)) return false;
  return to === Stage.Rejected || to > from;
}

/**
 * Whether a block in stage `current` has reached `min` on the happy path: what a `min_stage`
 * subscription waits for. A rejected block reaches nothing (its events must be dropped), and
 * `min` = Rejected is never reached either.
 */
export function hasReached(current: Stage, min: Stage): boolean {
  return current !== Stage.Rejected && min !== Stage.Rejected && current >= min;
}
