import type { RunSummary } from "../domain/run.js";

/** A run summary as text: what `agentsynth run` prints and MCP `run_pipeline` returns as its text content. */
export function renderRunSummary(summary: RunSummary): string {
  const c = summary.counts;
  const lines = [
    `Run ${summary.runId} ${summary.status} (seed ${summary.seed}, config "${summary.configName}")`,
    `  domains ${c.domains} → tools ${c.tools} → agents ${c.agents} → tasks ${c.tasks}`,
    `  episodes ${c.episodes} (${c.episodesFailed} did not complete) → judged ${c.judged} (${c.passed} pass)`,
    `  kept ${c.kept}, rejected ${c.rejected}`,
  ];
  const simulation = summary.simulation;
  if (simulation) {
    lines.push(`  end reasons: ${renderCounts(simulation.endReasons)}; failures attributed to: ${renderCounts(simulation.faultAttributions)}`);
    lines.push(`  tool calls: ${renderCounts(simulation.executions)}; injected faults: ${renderCounts(simulation.faultsInjected)}; context cuts ${simulation.contextCuts}`);
  }
  if (summary.toolChecks) {
    const { rejected, audited, excluded } = summary.toolChecks;
    lines.push(`  synthesized tools rejected: ${renderCounts(rejected)}; audited ${audited}, excluded ${renderCounts(excluded)}`);
  }
  if (summary.taskGate) {
    const gate = summary.taskGate;
    lines.push(`  task gate: ${gate.passed} of ${gate.checked} drafts passed, ${gate.regenerated} written again, ${gate.dropped} dropped; refused for ${renderCounts(gate.rejected)}`);
  }
  const reasons = Object.entries(summary.rejectionCounts);
  if (reasons.length) lines.push(`  rejection reasons: ${reasons.map(([reason, count]) => `${reason} ${count}`).join(", ")}`);
  const usage = Object.entries(summary.usage);
  if (usage.length) lines.push(`  tokens: ${usage.map(([role, u]) => `${role} ${u.inputTokens}+${u.outputTokens} (${u.requests} req)`).join(", ")}`);
  const passHatK = Object.entries(summary.passHatK ?? {});
  if (passHatK.length > 1) lines.push(`  pass^k: ${passHatK.map(([k, value]) => `k=${k} ${value.toFixed(3)}`).join(", ")}`);
  const { export: exported } = summary;
  const files = exported.files.map((file) => `${file.path} (${file.split}, ${file.records} records)`).join(" + ");
  lines.push(`  dataset ${summary.datasetId} "${exported.datasetName}" exported as ${exported.format} to ${exported.directory}`, `  export: ${files} + ${exported.cardPath}`);
  return lines.join("\n");
}

/** `a 3, b 1` in key order, or `none`. */
export function renderCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([key, count]) => `${key} ${count}`).join(", ") : "none";
}
