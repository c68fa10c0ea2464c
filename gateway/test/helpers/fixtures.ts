// The real Monad ring snapshots live outside the repo, in ../shared/fixtures; tests skip without them.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../../../shared/fixtures/", import.meta.url));

export const FIXTURE_1B = `${dir}emn-1b-15m.snapshot`;
export const FIXTURE_30B = `${dir}emn-30b-15m.snapshot.zst`;

/** Why fixture tests are skipped, or "" when the fixtures are present. */
export const fixturesMissing =
  existsSync(FIXTURE_1B) && existsSync(FIXTURE_30B) ? "" : `real ring snapshots not found in ${dir} (../shared/fixtures)`;
if (fixturesMissing) console.warn(`skipping fixture tests: ${fixturesMissing}`);
