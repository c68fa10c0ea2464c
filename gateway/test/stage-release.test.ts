// Release frames: when a block reaches Voted, Finalized or Verified, one frame re-publishes the events
// that arrived before it got there, in arrival order, for min_stage subscribers at exactly that stage.
// The list is picked lazily (on first use), so it must be what was held at the stage change, not later.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Frame, FrameKind } from "../src/broadcast/frame.js";
import { Stage } from "../src/broadcast/stage.js";
import { StageRelease } from "../src/broadcast/stage-release.js";

const BLOCK = 7;
const frame = (seqno: number): Frame => new Frame(seqno, FrameKind.Events, Buffer.from("{}"));

describe("StageRelease", () => {
  it("releases, per stage, exactly the events that arrived below it, in order, whenever they are read", () => {
    fc.assert(
      fc.property(
        // Events of one block over several frames, each with its arrival stage (non-decreasing, as in a ring).
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 60 }).map((a) => a.sort()),
        fc.integer({ min: 1, max: 8 }),
        (arrivals, perFrame) => {
          const r = new StageRelease();
          const placed: { frame: Frame; index: number; arrival: number }[] = [];
          let seqno = 1;
          const releases: { stage: Stage; frame: Frame | null; want: typeof placed }[] = [];
          const releaseAt = (stage: Stage) => {
            const want = placed.filter((p) => p.arrival < stage);
            releases.push({ stage, frame: r.release(BLOCK, stage, 1000 + stage), want });
          };
          let stageReached = Stage.Proposed;
          for (let i = 0; i < arrivals.length; i += perFrame) {
            const group = arrivals.slice(i, i + perFrame);
            // The block moves on before events that arrive at a later stage.
            while (stageReached < group[0]) releaseAt(++stageReached);
            const f = frame(seqno++);
            group.forEach((arrival, index) => {
              r.hold(BLOCK, index, arrival);
              placed.push({ frame: f, index, arrival });
            });
            r.frameFinished(f);
          }
          while (stageReached < Stage.Verified) releaseAt(++stageReached);
          // Read every release only now, after later events were held: each is as of its stage change.
          for (const { stage, frame: f, want } of releases) {
            if (want.length === 0) {
              expect(f).toBeNull();
              continue;
            }
            expect(f!.release!.stage).toBe(stage);
            expect(f!.eventCount).toBe(want.length);
            expect([...f!.release!.indexes]).toEqual(want.map((p) => p.index));
            expect(f!.release!.frames).toEqual(want.map((p) => p.frame));
          }
          expect(r.heldBlocks).toBe(0); // Verified: nothing more can be owed
        },
      ),
      { numRuns: 200 },
    );
  });
});
