// Entry point of the dashboard page (bundled by gateway/scripts/build-dashboard.mjs, served by the
// gateway at /dashboard/). Data flows in through the feed into the state; panels draw the state at
// most once per animation frame, and not at all while the tab is hidden.
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { SDK_VERSION } from "@monad-gateway/sdk";
import { BlocksPanel } from "./blocks-panel.js";
import { ContentionPanel } from "./contention-panel.js";
import { ContractsPanel } from "./contracts-panel.js";
import { byId, setText } from "./dom.js";
import { Feed } from "./feed.js";
import { resolveGateway, type GatewayTarget } from "./gateway-url.js";
import { KpiStrip } from "./kpi-strip.js";
import { DashboardState } from "./state.js";
import { StatusPanel } from "./status-panel.js";
import { TpsPanel } from "./tps-panel.js";

function start(): void {
  let target: GatewayTarget;
  try {
    target = resolveGateway(window.location);
  } catch (err) {
    const banner = byId("banner");
    banner.textContent = (err as Error).message;
    banner.hidden = false;
    setText(byId("conn-text"), "no gateway");
    byId("conn-pill").dataset.state = "failed";
    return;
  }
  setText(byId("gateway-url"), target.base);
  setText(byId("footer-version"), `SDK ${SDK_VERSION}`);

  const state = new DashboardState();
  const panels = [new KpiStrip(), new TpsPanel(), new StatusPanel(), new BlocksPanel(), new ContentionPanel(), new ContractsPanel()];
  let pending = false;
  const draw = (): void => {
    pending = false;
    for (const p of panels) p.render(state);
  };
  const changed = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(draw);
  };
  const feed = new Feed(target, state, changed);
  // "3 s ago" and uptimes move without new data.
  setInterval(changed, 1000);
  changed();
  feed.start();
  // For debugging from the console; nothing in the page reads it.
  Object.defineProperty(window, "monadDashboard", { value: { state, client: feed.client }, configurable: true });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
