// Connection and gateway state: is the page live, where it is in the stream (epoch, server_seqno),
// what was lost (gaps, warnings, drops), and the gateway's own health from /v1/status.
import { byId, el, setText } from "./dom.js";
import { formatClock, formatDuration, formatInt } from "./format.js";
import type { DashboardState } from "./state.js";

interface Fact {
  key: string;
  label: string;
  value: string;
  tone?: "good" | "warn" | "bad";
  title?: string;
}

const CONNECTION_TEXT: Record<DashboardState["connection"], string> = {
  connecting: "connecting",
  connected: "connected",
  reconnecting: "reconnecting",
  disconnected: "disconnected",
  failed: "not connected",
};

export class StatusPanel {
  private readonly pill = byId("conn-pill");
  private readonly pillText = byId("conn-text");
  private readonly facts = byId("status-facts");
  private readonly log = byId<HTMLOListElement>("status-log");
  private readonly cells = new Map<string, { dd: HTMLElement }>();
  private drawnNotices: unknown = null;
  private drawnNoticeCount = -1;

  render(s: DashboardState): void {
    this.pill.dataset.state = s.connection;
    setText(this.pillText, s.connection === "reconnecting" && s.connectionDetail ? `reconnecting · ${s.connectionDetail}` : CONNECTION_TEXT[s.connection]);
    for (const f of facts(s)) this.fact(f);
    // /v1/status figures are only as fresh as the connection: grey them out while it is down.
    this.facts.dataset.stale = String(s.connection !== "connected");
    const newest = s.notices.all[0] ?? null;
    if (newest !== this.drawnNotices || (newest?.count ?? 0) !== this.drawnNoticeCount) {
      this.drawnNotices = newest;
      this.drawnNoticeCount = newest?.count ?? 0;
      this.log.replaceChildren(
        ...s.notices.all.slice(0, 12).map((n) =>
          el("li", { class: n.level }, [el("time", { text: formatClock(n.at) }), el("span", { text: n.count > 1 ? `${n.text} (×${n.count})` : n.text })]),
        ),
      );
    }
  }

  /** Fact rows are created once and updated in place (this panel redraws every second). */
  private fact(f: Fact): void {
    let cell = this.cells.get(f.key);
    if (!cell) {
      const dd = el("dd");
      this.facts.append(el("dt", { text: f.label }), dd);
      cell = { dd };
      this.cells.set(f.key, cell);
    }
    setText(cell.dd, f.value);
    cell.dd.dataset.fact = f.key;
    if (f.tone) cell.dd.dataset.tone = f.tone;
    else delete cell.dd.dataset.tone;
    cell.dd.title = f.title ?? "";
  }
}

function facts(s: DashboardState): Fact[] {
  const now = Date.now();
  const st = s.status;
  const live = s.connection === "connected";
  const out: Fact[] = [
    {
      key: "connection",
      label: "Stream",
      value: live ? `connected for ${formatDuration((now - s.connectedSince) / 1000)}` : s.connectionDetail ? `${CONNECTION_TEXT[s.connection]} · ${s.connectionDetail}` : CONNECTION_TEXT[s.connection],
      tone: live ? "good" : s.connection === "connecting" ? undefined : "bad",
    },
    {
      key: "health",
      label: "Gateway",
      value: !live ? "unknown while disconnected" : st ? `${st.status}${reasonOf(st) ? ` · ${reasonOf(st)}` : ""}` : s.statusError || "…",
      tone: !live || !st ? undefined : st.status === "healthy" ? "good" : st.status === "degraded" ? "warn" : "bad",
    },
    { key: "epoch", label: "Epoch", value: s.epoch ?? "–", title: "the gateway run; server_seqno restarts with each" },
    {
      key: "seqno",
      label: "server_seqno",
      value: formatInt(s.serverSeqno),
      title: "the page's position in the gateway's stream: its resume cursor",
    },
    { key: "last-frame", label: "Last frame", value: s.lastFrameAt ? `${formatDuration((now - s.lastFrameAt) / 1000)} ago` : "–", tone: s.lastFrameAt && now - s.lastFrameAt > 5000 ? "warn" : undefined },
    { key: "frames", label: "Frames received", value: formatInt(s.frames) },
    { key: "reconnects", label: "Reconnects", value: formatInt(s.reconnects), tone: s.reconnects > 0 ? "warn" : undefined },
    { key: "gaps", label: "Gaps", value: formatInt(s.gaps), tone: s.gaps > 0 ? "warn" : "good", title: "announced data losses (see notices)" },
    { key: "warnings", label: "Warnings", value: formatInt(s.warnings), tone: s.warnings > 0 ? "warn" : undefined },
  ];
  if (st) {
    out.push(
      {
        key: "drops",
        label: "Drops (all clients)",
        value: `${formatInt(st.drops.frames)} frames · ${formatInt(st.drops.clients_disconnected)} slow clients cut`,
        tone: st.drops.frames > 0 ? "warn" : undefined,
      },
      {
        key: "ring",
        label: "Event ring",
        value: `${st.ring.writer_alive ? `writer ${st.ring.writer_pid} alive` : "writer gone"} · lag ${formatInt(st.ring.lag_events)} events`,
        tone: st.ring.writer_alive ? undefined : "bad",
        title: st.ring.path,
      },
      {
        key: "buffer",
        label: "Resume buffer",
        value: st.newest_seqno ? `${formatInt(st.oldest_seqno)} … ${formatInt(st.newest_seqno)}` : "empty",
        title: "server_seqnos a reconnecting client can still resume from",
      },
      { key: "clients", label: "Clients", value: formatInt(st.connected_clients) },
      { key: "uptime", label: "Uptime", value: `${formatDuration(st.uptime_secs)}${s.serverVersion ? ` · v${s.serverVersion}` : ""}` },
    );
  }
  return out;
}

/** The gateway adds `reason` when it is not healthy (not in the schema's required keys, so not typed). */
function reasonOf(st: object): string {
  const r = (st as { reason?: unknown }).reason;
  return typeof r === "string" ? r : "";
}
