import type { SyncReport, SyncServerResult } from "../domain/summaries.js";

const SHOWN_SKIPPED = 5;

/** One line per server of a sync (what it added, or why it failed, and the tools it left out) and per broken config entry. */
export function describeSyncReport(report: SyncReport): string[] {
  return [...report.servers.map(describeServerSync), ...report.configErrors.map((problem) => `${problem.name}: not loaded: ${problem.message}`)];
}

function describeServerSync(server: SyncServerResult): string {
  if (server.status !== "synced") return `${server.name}: failed: ${server.error ?? "unknown error"}`;
  const counts = `${server.toolCount} tools (${server.added} new, ${server.updated} updated, ${server.unchanged} unchanged, ${server.stale} stale)`;
  const skipped = server.skipped ?? [];
  if (skipped.length === 0) return `${server.name}: ${counts}`;
  const named = skipped.slice(0, SHOWN_SKIPPED).map((entry) => `"${entry.tool}" (${entry.reason})`);
  const more = skipped.length > SHOWN_SKIPPED ? `, and ${skipped.length - SHOWN_SKIPPED} more` : "";
  return `${server.name}: ${counts}; ${skipped.length} skipped: ${named.join(", ")}${more}`;
}
