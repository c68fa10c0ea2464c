// The exec event schema this gateway reads (Monad exec events SDK v1.x, category-labs/monad c67c9f22).
export const EXEC_CONTENT_TYPE = 2;
export const EXEC_SCHEMA_HASH = "8933f907c432c98ac0c8db62f9aa164c0c3f1672f41290e4ea3408df6c6723f3";
