// Compiled ajv validators for every schema definition, built once at module load (a few hundred
// milliseconds for all of them; validating is then a generated function call, ~0.5 µs per event).
//
// Options: allErrors + verbose so a rejected client message can be explained precisely (see
// describe-error.ts); valid input, the common case, is checked in full either way.

import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import { FRAME_KINDS, type FrameKind } from "./constants.js";
import { frameDefName } from "./schemas/frames.js";
import { SCHEMA_DOCUMENTS, schemaRegistry } from "./schemas/index.js";
import type * as Wire from "./generated/index.js";

// ajv is CommonJS; under NodeNext its default import is the module object, whose .default is the class.
const Ajv = AjvModule.default;

function createAjv() {
  const ajv = new Ajv({
    strict: true,
    allowUnionTypes: true, // ["integer", "null"] (TxnIndex, range bounds)
    discriminator: true,
    allErrors: true,
    verbose: true,
  });
  for (const d of Object.values(SCHEMA_DOCUMENTS)) ajv.addSchema(d);
  return ajv;
}

/** The ajv instance holding every schema document (exported for tests and tools). */
export const ajv = createAjv();

const compiled = new Map<string, ValidateFunction>();
for (const [name, e] of schemaRegistry) {
  const fn = ajv.getSchema(e.uri);
  if (fn === undefined) throw new Error(`ajv did not compile ${e.uri}`);
  compiled.set(name, fn);
}

/** The compiled validator of definition `name` (e.g. "ExecEvent", "StatusResponse"). */
export function validatorFor<T = unknown>(name: string): ValidateFunction<T> {
  const fn = compiled.get(name);
  if (fn === undefined) throw new Error(`no schema definition named ${name}`);
  return fn as ValidateFunction<T>;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ErrorObject[] };

function run<T>(fn: ValidateFunction<T>, data: unknown): ValidationResult<T> {
  return fn(data) ? { ok: true, value: data } : { ok: false, errors: fn.errors ?? [] };
}

/** Validates `data` against definition `name`. */
export function validateAs<T = unknown>(name: string, data: unknown): ValidationResult<T> {
  return run(validatorFor<T>(name), data);
}

// --- Server frames ---------------------------------------------------------------------------

/** One validator per frame kind; each checks a whole frame ({server_seqno, <Kind>: ...}). */
export const frameValidators: Readonly<Record<FrameKind, ValidateFunction>> = Object.freeze(
  Object.fromEntries(FRAME_KINDS.map((k) => [k, validatorFor(frameDefName(k))])) as Record<FrameKind, ValidateFunction>,
);

/**
 * Validates a server frame against the schema of its kind (picked by its non-seqno key, which
 * gives far clearer errors than trying every branch of ServerFrame).
 */
export function validateServerFrame(frame: unknown): ValidationResult<Wire.ServerFrame> & { kind?: FrameKind } {
  if (frame !== null && typeof frame === "object" && !Array.isArray(frame)) {
    const kind = Object.keys(frame).find((k) => k !== "server_seqno");
    if (kind !== undefined && (FRAME_KINDS as readonly string[]).includes(kind)) {
      return { ...run(frameValidators[kind as FrameKind] as ValidateFunction<Wire.ServerFrame>, frame), kind: kind as FrameKind };
    }
  }
  return run(validatorFor<Wire.ServerFrame>("ServerFrame"), frame);
}

export const validateExecEvent = validatorFor<Wire.ExecEvent>("ExecEvent");

// --- REST bodies -----------------------------------------------------------------------------

/** One validator per REST response body. */
export const restValidators = Object.freeze({
  tps: validatorFor<Wire.TpsResponse>("TpsResponse"),
  status: validatorFor<Wire.StatusResponse>("StatusResponse"),
  contention: validatorFor<Wire.ContentionData>("ContentionData"),
  blocksLifecycle: validatorFor<Wire.BlockLifecycleList>("BlockLifecycleList"),
  blockLifecycle: validatorFor<Wire.BlockLifecycleSummary>("BlockLifecycleSummary"),
  health: validatorFor<Wire.HealthResponse>("HealthResponse"),
  error: validatorFor<Wire.RestError>("RestError"),
});
