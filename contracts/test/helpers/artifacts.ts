// The compiled contracts for the tests (compiled once per change of the sources, then cached).
import type { Abi, Hex } from "viem";
import { compileAll, type Artifact } from "../../scripts/compile.mjs";

let compiled: Record<string, Artifact> | undefined;

export function artifact(name: string): { abi: Abi; bytecode: Hex } {
  compiled ??= compileAll().contracts;
  const a = compiled[name];
  if (!a) throw new Error(`no compiled contract named ${name}`);
  return { abi: a.abi as unknown as Abi, bytecode: a.bytecode };
}

let errorsAndEvents: Abi | undefined;

/** Every error and event of every contract, once each: decodes a revert that bubbled up from another
 * contract, and the logs of a receipt whatever contract emitted them. */
export function allErrorsAndEvents(): Abi {
  if (errorsAndEvents) return errorsAndEvents;
  compiled ??= compileAll().contracts;
  const seen = new Map<string, Abi[number]>();
  for (const a of Object.values(compiled)) {
    for (const item of a.abi as unknown as Abi) {
      if (item.type !== "error" && item.type !== "event") continue;
      const key = `${item.type}:${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (!seen.has(key)) seen.set(key, item);
    }
  }
  errorsAndEvents = [...seen.values()];
  return errorsAndEvents;
}
