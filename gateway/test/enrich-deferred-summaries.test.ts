// The pipeline's enricher defers BLOCK_END's summaries (TopAccesses, ContentionData) so the block's
// end can be sent before they are computed. Deferring must change when they are computed, never what
// they are or in which order they come: checked on the real 30-block capture against an enricher that
// computes them inside observe().
import { describe, expect, it } from "vitest";
import { Enricher, type EnrichOutput } from "../src/enrich/index.js";
import { ExecEventType } from "../src/decode/event-types.js";
import { REC_EVENT_TYPE } from "../src/ring/event-record.js";
import { FIXTURE_30B, fixtureSuite, fixturesMissing, snapshotRecords } from "./helpers/fixtures.js";

/** Outputs as JSON text, so later reuse of the enricher's objects cannot alter what was captured. */
const text = (o: EnrichOutput): string => JSON.stringify(o);

describe.skipIf(fixturesMissing !== "")(fixtureSuite("deferred block summaries (30-block capture)"), () => {
  it("yields the same outputs in the same order, BLOCK_END's summaries only from summarizeBlock()", () => {
    const { batch, offsets } = snapshotRecords(FIXTURE_30B);
    const immediate = new Enricher();
    const deferred = new Enricher({ deferBlockSummaries: true });
    const want: string[] = [];
    const got: string[] = [];
    let blockEnds = 0;
    let summaries = 0;
    for (const r of offsets) {
      const n = immediate.observe(batch, r);
      for (let i = 0; i < n; i++) want.push(text(immediate.outputs[i]));

      const m = deferred.observe(batch, r);
      for (let i = 0; i < m; i++) {
        expect(["TopAccesses", "ContentionData"]).not.toContain(deferred.outputs[i].type);
        got.push(text(deferred.outputs[i]));
      }
      const isBlockEnd = batch[r + REC_EVENT_TYPE] === ExecEventType.BLOCK_END;
      expect(deferred.summaryPending).toBe(isBlockEnd);
      if (isBlockEnd) {
        blockEnds++;
        const k = deferred.summarizeBlock();
        expect(deferred.summaryPending).toBe(false);
        expect(deferred.outputs[0].type).toBe("TopAccesses");
        for (let i = 0; i < k; i++) got.push(text(deferred.outputs[i]));
        summaries += k;
      }
      expect(deferred.summarizeBlock()).toBe(0); // nothing owed twice
    }
    expect(blockEnds).toBe(30);
    expect(summaries).toBeGreaterThanOrEqual(2 * 29); // TopAccesses + ContentionData per fully seen block
    expect(got).toEqual(want);
    expect(deferred.latestContention).toEqual(immediate.latestContention);
  });
});
