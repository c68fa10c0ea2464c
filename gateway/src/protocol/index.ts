// Public API of the wire protocol module: the schemas (the source of truth), their compiled
// validators, client-message validation with helpful errors, the protocol vocabularies, and the
// TypeScript types generated from the schemas.

export * from "./constants.js";
export { FIELD_FILTERS_BY_EVENT, FILTER_FIELDS, filterField, type FilterField, type FilterKind } from "./field-filters.js";
export {
  COMMON,
  EVENTS,
  FRAMES,
  REST,
  SUBSCRIBE,
  REST_ROUTES,
  SCHEMA_BASE_URI,
  SCHEMA_DOCUMENTS,
  schemaRegistry,
  definition,
  type DefinitionEntry,
  type RestRoute,
  type Schema,
  type SchemaDocument,
} from "./schemas/index.js";
export {
  ajv,
  frameValidators,
  restValidators,
  validateAs,
  validateExecEvent,
  validateServerFrame,
  validatorFor,
  type ValidationResult,
} from "./validators.js";
export { describeValidationError, formatPath, type ErrorDescription } from "./describe-error.js";
export {
  asAdvancedSubscription,
  checkSubscription,
  parseClientMessage,
  validateClientMessage,
  type ClientMessageResult,
} from "./client-message.js";
export type * from "./generated/index.js";
