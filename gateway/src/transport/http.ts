// Small helpers for uWS HTTP responses: JSON bodies, status lines, CORS, and aborted-request safety.
import type { HttpResponse } from "./uws.js";

const STATUS_TEXT: Record<number, string> = {
  200: "200 OK",
  400: "400 Bad Request",
  404: "404 Not Found",
  405: "405 Method Not Allowed",
  429: "429 Too Many Requests",
  500: "500 Internal Server Error",
  503: "503 Service Unavailable",
};

export function sendJson(res: HttpResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), "application/json");
}

export function sendText(res: HttpResponse, status: number, text: string, contentType: string): void {
  res.cork(() => {
    res
      .writeStatus(STATUS_TEXT[status] ?? `${status} Status`)
      .writeHeader("Content-Type", contentType)
      .writeHeader("Access-Control-Allow-Origin", "*")
      .writeHeader("Cache-Control", "no-store")
      .end(text);
  });
}

/** Runs an async handler; the response is written only if the client is still there. */
export function sendAsync(res: HttpResponse, produce: () => Promise<{ status: number; body: string; contentType: string }>): void {
  let aborted = false;
  res.onAborted(() => (aborted = true));
  produce().then(
    (r) => aborted || sendText(res, r.status, r.body, r.contentType),
    (err: Error) => aborted || sendJson(res, 500, { error: `internal error: ${err.message}` }),
  );
}
