import type { ModelRef, ModelRole } from "../domain/common.js";
import type { RunCounts } from "../domain/run.js";

export interface DatasetCard {
  name: string;
  fileName: string;
  format: string;
  seed: number;
  configName: string;
  counts: RunCounts;
  rejectionCounts: Record<string, number>;
  domains: Array<{ name: string; title: string; category: string; episodes: number }>;
  tools: Array<{ name: string; source: string; calls: number }>;
  models: Record<ModelRole, ModelRef>;
}

const ROLE_LABELS: Record<ModelRole, string> = {
  generator: "generator (domains, tools, agents, tasks)",
  agent: "agent",
  userSimulator: "user simulator",
  toolSimulator: "tool simulator",
  judge: "judge",
};

/** The dataset card (`README.md`) written beside every export. Deterministic: no clock readings. */
export function renderDatasetCard(card: DatasetCard): string {
  const offline = Object.values(card.models).some((model) => model.provider === "offline");
  const lines: string[] = [
    `# ${card.name}`,
    "",
    `Agentic tool-use trajectories synthesized by agentsynth: multi-turn conversations between a simulated user and a tool-using assistant, judged against per-task rubrics and filtered.`,
    "",
    `- File: \`${card.fileName}\` (${card.format}: one JSON object a line with \`messages\`, \`tools\`, \`parallel_tool_calls\`; tool-call \`arguments\` are JSON strings)`,
    `- Records: ${card.counts.exported}`,
    `- Pipeline config: \`${card.configName}\`, seed ${card.seed}`,
    "",
  ];
  if (offline) {
    lines.push("> **Offline data.** Some roles were played by agentsynth's built-in deterministic offline engine, not by an LLM. Use it to test pipelines and trainers, not as LLM-quality training data.", "");
  }
  lines.push("## Counts per stage", "", "| stage | count |", "| --- | ---: |");
  const stageRows: Array<[string, number]> = [
    ["domains", card.counts.domains],
    ["tools", card.counts.tools],
    ["agents", card.counts.agents],
    ["tasks", card.counts.tasks],
    ["episodes simulated", card.counts.episodes],
    ["episodes that failed to complete", card.counts.episodesFailed],
    ["episodes judged", card.counts.judged],
    ["judged pass", card.counts.passed],
    ["kept by the filter", card.counts.kept],
    ["rejected by the filter", card.counts.rejected],
    ["exported records", card.counts.exported],
  ];
  for (const [stage, count] of stageRows) lines.push(`| ${stage} | ${count} |`);
  lines.push("", "## Rejection reasons", "");
  const reasons = Object.entries(card.rejectionCounts);
  if (reasons.length === 0) lines.push("None: every judged episode was kept.");
  else {
    lines.push("| reason | episodes |", "| --- | ---: |");
    for (const [reason, count] of reasons) lines.push(`| \`${reason}\` | ${count} |`);
  }
  lines.push("", "## Models per role", "", "| role | provider | model |", "| --- | --- | --- |");
  for (const [role, model] of Object.entries(card.models) as Array<[ModelRole, ModelRef]>) lines.push(`| ${ROLE_LABELS[role]} | ${model.provider} | ${model.model} |`);
  lines.push("", "## Domains", "", "| domain | category | exported episodes |", "| --- | --- | ---: |");
  for (const domain of card.domains) lines.push(`| ${domain.title} (\`${domain.name}\`) | ${domain.category} | ${domain.episodes} |`);
  lines.push("", "## Tools", "", "| tool | source | calls in exported records |", "| --- | --- | ---: |");
  for (const tool of card.tools) lines.push(`| \`${tool.name}\` | ${tool.source} | ${tool.calls} |`);
  lines.push(
    "",
    "## Loading",
    "",
    "```python",
    "from datasets import load_dataset",
    `ds = load_dataset("json", data_files="${card.fileName}")`,
    "```",
    "",
  );
  return lines.join("\n");
}
