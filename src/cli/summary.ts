import type { PipelineResult } from "../pipeline/run-pipeline.js";

/** The end-of-run summary printed on stdout. */
export function renderRunSummary(result: PipelineResult, dataDir: string): string {
  const { run, exported } = result;
  const c = run.counts;
  const lines = [
    `Run ${run.id} ${run.status} (seed ${run.config.seed}, config "${run.config.name}")`,
    `  domains ${c.domains} → tools ${c.tools} → agents ${c.agents} → tasks ${c.tasks}`,
    `  episodes ${c.episodes} (${c.episodesFailed} did not complete) → judged ${c.judged} (${c.passed} pass)`,
    `  kept ${c.kept}, rejected ${c.rejected}`,
  ];
  if (run.simulation) {
    const sim = run.simulation;
    lines.push(`  end reasons: ${renderCounts(sim.endReasons)}; failures attributed to: ${renderCounts(sim.faultAttributions)}`);
    lines.push(`  tool calls: ${renderCounts(sim.executions)}; injected faults: ${renderCounts(sim.faultsInjected)}; context cuts ${sim.contextCuts}`);
  }
  const reasons = Object.entries(run.rejectionCounts);
  if (reasons.length) lines.push(`  rejection reasons: ${reasons.map(([reason, count]) => `${reason} ${count}`).join(", ")}`);
  const usage = Object.entries(run.usage);
  if (usage.length) lines.push(`  tokens: ${usage.map(([role, u]) => `${role} ${u.inputTokens}+${u.outputTokens} (${u.requests} req)`).join(", ")}`);
  const passHatK = Object.entries(run.passHatK ?? {});
  if (passHatK.length > 1) lines.push(`  pass^k: ${passHatK.map(([k, value]) => `k=${k} ${value.toFixed(3)}`).join(", ")}`);
  const files = exported.files.length > 1 ? exported.files.map((file) => `${file.path} (${file.split}, ${file.records})`).join(" + ") : `${exported.path} (${exported.records} records)`;
  lines.push(`  export: ${files} + ${exported.cardPath}`, `  store:  ${dataDir}`);
  return lines.join("\n");
}

function renderCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([key, count]) => `${key} ${count}`).join(", ") : "none";
}
