// Commit stages come from the lifecycle tracker; broadcast adds the marker for events outside any
// known block (consensus events of blocks seen before the gateway started, for instance).
import { Stage } from "../enrich/stages.js";

export { Stage, STAGE_NAMES, stageFromName } from "../enrich/stages.js";

/** arrivalStage of an event whose block the gateway does not know. */
export const STAGE_UNKNOWN = 255;

/** The min_stage values that hold events back until their block gets there. */
export const HOLD_STAGES: readonly Stage[] = [Stage.Voted, Stage.Finalized, Stage.Verified];
