// Number, time and hex formatting for people: grouped digits, adaptive units, shortened hashes.
import type { Int } from "@monad-gateway/sdk";

const grouped = new Intl.NumberFormat("en-US");

export function formatInt(n: Int | null | undefined): string {
  if (n === null || n === undefined) return "–";
  return typeof n === "bigint" ? grouped.format(n) : grouped.format(Math.round(n));
}

export function formatNumber(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "–";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 0.4 ms, 12 ms, 1.60 s, 2.5 min. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "–";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** 42 s, 12 min, 3 h 05 min, 2 d 4 h. */
export function formatDuration(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return "–";
  if (secs < 60) return `${Math.floor(secs)} s`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min`;
  if (secs < 86_400) return `${Math.floor(secs / 3600)} h ${String(Math.floor((secs % 3600) / 60)).padStart(2, "0")} min`;
  return `${Math.floor(secs / 86_400)} d ${Math.floor((secs % 86_400) / 3600)} h`;
}

/** 21,000 → 21.0k, 12,500,000 → 12.5M. */
export function formatGas(gas: Int | null | undefined): string {
  if (gas === null || gas === undefined) return "–";
  const n = Number(gas);
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function formatPct(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "–";
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** 0x1f9840a85d5af5bf1d1762f925bdaddc4201f984 → 0x1f98…f984. */
export function shortHex(hex: string, keep = 4): string {
  return hex.length <= 2 + 2 * keep + 1 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** A storage slot: small ones (mapping roots, counters) as their number, hashed ones shortened. */
export function formatSlot(slot: string): string {
  const trimmed = slot.replace(/^0x0*/, "");
  return trimmed.length <= 6 ? `#${parseInt(trimmed || "0", 16)}` : shortHex(slot, 4);
}

export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
}
