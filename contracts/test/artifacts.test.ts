// The committed ABI + bytecode artifacts (what `monad-gateway contracts deploy` deploys) must be
// exactly what the current sources compile to. When this fails: node contracts/scripts/build.mjs
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { compileAll, PRODUCTION, productionSourceHash, readArtifacts } from "../scripts/compile.mjs";

const digest = (hex: string) => createHash("sha256").update(hex).digest("hex");
const REBUILD = "contracts/artifacts are stale: run `node contracts/scripts/build.mjs` and commit the result";

describe("committed artifacts", () => {
  const committed = readArtifacts();

  it("were built from the current sources, compiler and settings", () => {
    expect(committed.manifest.sourceHash, REBUILD).toBe(productionSourceHash());
    expect(committed.manifest.compiler).toContain(createRequire(import.meta.url)("solc/package.json").version);
    expect(committed.manifest.settings).toMatchObject({ evmVersion: "prague", viaIR: false });
    expect(committed.manifest.contracts).toEqual(PRODUCTION);
  });

  it("match a fresh compile byte for byte", { timeout: 120_000 }, () => {
    const fresh = compileAll();
    for (const name of PRODUCTION) {
      expect(committed.contracts[name].abi, `${name} ABI: ${REBUILD}`).toEqual(fresh.contracts[name].abi);
      expect(digest(committed.contracts[name].bytecode), `${name} bytecode: ${REBUILD}`).toBe(digest(fresh.contracts[name].bytecode));
    }
  });

  it("compile without warnings and fit the EIP-170 size limit (24,576 bytes)", { timeout: 120_000 }, () => {
    const fresh = compileAll();
    expect(fresh.warnings).toEqual([]);
    for (const name of PRODUCTION) {
      expect((committed.contracts[name].deployedBytecode.length - 2) / 2, name).toBeLessThanOrEqual(24_576);
    }
  });
});
