import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
/** The root package's version (the one users install). */
export const SERVER_VERSION: string = (require("../../../package.json") as { version: string }).version;
