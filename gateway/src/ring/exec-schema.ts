// The exec event schema this gateway reads (Monad exec events SDK v1.x, category-labs/monad c67c9f22).
/** `enum monad_event_content_type`: the header's content_type for exec rings. */
export const EXEC_CONTENT_TYPE = 2;
/** `g_monad_exec_event_schema_hash` of the supported schema; any other hash is rejected. */
export const EXEC_SCHEMA_HASH = "8933f907c432c98ac0c8db62f9aa164c0c3f1672f41290e4ea3408df6c6723f3";
