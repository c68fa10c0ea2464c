// The only module that loads uWebSockets.js (the unofficial npm build that loads on Node 20 here;
// it has no TLS or compression inside: terminate TLS in front of the gateway).
import { createRequire } from "node:module";
import type * as UWS from "@trufflesuite/uws-js-unofficial";

const require = createRequire(import.meta.url);
export const uws: typeof UWS = require("@trufflesuite/uws-js-unofficial");

export type { HttpRequest, HttpResponse, TemplatedApp, us_listen_socket, WebSocket } from "@trufflesuite/uws-js-unofficial";

/** uWS send results. */
export const SEND_SUCCESS = 1;
export const SEND_BACKPRESSURE = 0;
export const SEND_DROPPED = 2;
