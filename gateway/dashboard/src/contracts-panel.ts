// Contracts whose storage transactions fought over, summed over the blocks the page holds, and the
// accounts the gateway saw accessed most (its TopAccesses window).
import { byId, el, fillTable, setText } from "./dom.js";
import { rankContracts } from "./contracts.js";
import { formatInt, formatPct, shortHex } from "./format.js";
import type { DashboardState } from "./state.js";

const CONTRACT_ROWS = 8;
const ACCOUNT_ROWS = 6;

export class ContractsPanel {
  private readonly contracts = byId<HTMLTableElement>("contracts-table");
  private readonly accounts = byId<HTMLTableElement>("accounts-table");
  private readonly sub = byId("contracts-sub");
  private drawnContention: unknown = undefined;
  private drawnAccesses: unknown = undefined;

  render(s: DashboardState): void {
    if (s.latestContention !== this.drawnContention) {
      this.drawnContention = s.latestContention;
      this.renderContracts(s);
    }
    if (s.topAccesses !== this.drawnAccesses) {
      this.drawnAccesses = s.topAccesses;
      this.renderAccounts(s);
    }
  }

  private renderContracts(s: DashboardState): void {
    const withContention = s.blocks.recent(s.blocks.capacity).flatMap((b) => (b.contention ? [b.contention] : []));
    setText(this.sub, withContention.length ? `over the last ${withContention.length} blocks` : "");
    const ranked = rankContracts(withContention, CONTRACT_ROWS);
    const top = ranked[0]?.contendedSlots ?? 1;
    fillTable(
      this.contracts,
      ["Contract", "Blocks", "Contended slots", "", "Accesses", "Score (latest)"],
      ranked.map((r) => {
        const meter = el("div", { class: "meter" }, [el("div", { class: "fill" })]);
        (meter.firstChild as HTMLElement).style.width = `${Math.max(2, (r.contendedSlots / top) * 100)}%`;
        return el("tr", { data: { address: r.address } }, [
          el("td", {}, [el("code", { text: shortHex(r.address, 6), title: r.address })]),
          el("td", { class: "num", text: formatInt(r.blocks) }),
          el("td", { class: "num", text: `${formatInt(r.contendedSlots)} / ${formatInt(r.totalSlots)}` }),
          el("td", { class: "meter-cell" }, [meter]),
          el("td", { class: "num", text: formatInt(r.accesses) }),
          el("td", { class: "num", text: formatPct(r.latestScore, 0), title: `in block #${formatInt(r.latestBlock)}` }),
        ]);
      }),
      "no contended contracts yet",
    );
  }

  private renderAccounts(s: DashboardState): void {
    const accounts = (s.topAccesses?.account ?? []).slice(0, ACCOUNT_ROWS);
    fillTable(
      this.accounts,
      ["Account", "Accesses"],
      accounts.map((a) => el("tr", {}, [el("td", {}, [el("code", { text: shortHex(a.key, 6), title: a.key })]), el("td", { class: "num", text: formatInt(a.count) })])),
      "waiting for TopAccesses…",
    );
  }
}
