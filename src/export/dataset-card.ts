import type { ModelRef, ModelRole } from "../domain/common.js";
import { resolveCallIdStyle, type CallIdStyle, type ExportFormat, type ExportOptions } from "../domain/config.js";
import type { PassHatK, SplitName, TaskStats } from "../domain/dataset.js";
import type { RunCounts, TaskGateTally, ToolCheckTally } from "../domain/run.js";
import { renderChecks, renderShapes, renderVerification, type VerificationCounts } from "./card-checks.js";
import { renderLoading, renderReliability, renderScores, renderToolResults, renderToolSummary } from "./card-sections.js";
import type { DomainCount, ToolCount, ToolResultCounts } from "./episode-tally.js";
import type { ScoreBin } from "./score-histogram.js";
import type { SplitSettings } from "./split.js";

export interface DatasetCard {
  name: string;
  /** The (train) JSONL file. */
  fileName: string;
  /** What a line of the file holds. */
  format: string;
  formatName?: ExportFormat | undefined;
  seed: number;
  configName: string;
  counts: RunCounts;
  rejectionCounts: Record<string, number>;
  domains: DomainCount[];
  tools: ToolCount[];
  /** How the exported records' tool results were produced. */
  toolResults?: ToolResultCounts | undefined;
  models: Partial<Record<ModelRole, ModelRef>>;
  /** Every file written, when the export was split. */
  files?: Array<{ split: SplitName; fileName: string; records: number }> | undefined;
  options?: ExportOptions | undefined;
  split?: SplitSettings | undefined;
  judgeCommittee?: Array<{ model: ModelRef; temperature?: number | undefined }> | undefined;
  scores?: ScoreBin[] | undefined;
  taskStats?: Record<string, TaskStats> | undefined;
  passHatK?: PassHatK | undefined;
  /** Verification against the blueprint: of the episodes the filter saw, and of the kept ones. */
  verification?: VerificationCounts | undefined;
  /** Kept records per task shape. */
  shapes?: Record<string, number> | undefined;
  toolChecks?: ToolCheckTally | undefined;
  taskGate?: TaskGateTally | undefined;
}

/** What a caller says about a dataset; the export fills in the files, format and options. */
export type DatasetCardInput = Omit<DatasetCard, "fileName" | "format" | "formatName" | "files" | "options" | "split">;

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
    ...renderFiles(card),
    `- Format: ${card.format}`,
    `- Records: ${card.counts.exported}`,
    ...renderOptions(card),
    `- Pipeline config: \`${card.configName}\`, seed ${card.seed}${card.split ? `; validation split seed ${card.split.seed}` : ""}`,
    "",
  ];
  if (offline) {
    lines.push("> **Offline data.** Some roles were played by agentsynth's built-in deterministic offline engine, not by an LLM (its judge is a labelled heuristic). Use it to test pipelines and trainers, not as LLM-quality training data.", "");
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
    lines.push("An episode can have several reasons.", "", "| reason | episodes |", "| --- | ---: |");
    for (const [reason, count] of reasons) lines.push(`| \`${reason}\` | ${count} |`);
  }
  lines.push(...renderVerification(card.verification), ...renderShapes(card.shapes), ...renderChecks(card.toolChecks, card.taskGate));
  lines.push(...renderScores(card.scores), ...renderReliability(card.taskStats, card.passHatK));
  lines.push("", "## Models per role", "", "| role | provider | model |", "| --- | --- | --- |");
  for (const [role, model] of Object.entries(card.models) as Array<[ModelRole, ModelRef]>) lines.push(`| ${ROLE_LABELS[role]} | ${model.provider} | ${model.model} |`);
  if (card.judgeCommittee && card.judgeCommittee.length > 1) {
    lines.push("", `Judge committee of ${card.judgeCommittee.length} (the majority decides each criterion and the verdict):`, "", "| member | provider | model | temperature |", "| ---: | --- | --- | ---: |");
    card.judgeCommittee.forEach((member, index) => lines.push(`| ${index + 1} | ${member.model.provider} | ${member.model.model} | ${member.temperature ?? "default"} |`));
  }
  lines.push("", "## Domains", "", "| domain | category | exported episodes |", "| --- | --- | ---: |");
  for (const domain of card.domains) lines.push(`| ${domain.title} (\`${domain.name}\`) | ${domain.category} | ${domain.episodes} |`);
  lines.push("", "## Tools", "", ...renderToolSummary(card.tools), "", "| tool | source | calls in exported records |", "| --- | --- | ---: |");
  for (const tool of card.tools) lines.push(`| \`${tool.name}\` | ${tool.source} | ${tool.calls} |`);
  lines.push(...renderToolResults(card.toolResults));
  lines.push(...renderLoading(card.formatName ?? "openai", listFiles(card)), "");
  return lines.join("\n");
}

function listFiles(card: DatasetCard): NonNullable<DatasetCard["files"]> {
  return card.files ?? [{ split: "train", fileName: card.fileName, records: card.counts.exported }];
}

function renderFiles(card: DatasetCard): string[] {
  const files = listFiles(card);
  if (files.length === 1) return [`- File: \`${card.fileName}\``];
  return [`- Files: ${files.map((file) => `\`${file.fileName}\` (${file.split}, ${file.records} records)`).join(", ")}${card.split ? `, a ${card.split.validationRatio} validation split` : ""}`];
}

const CALL_ID_STYLES: Record<CallIdStyle, string> = {
  openai: "as generated",
  kimi: "Kimi style (`functions.{name}:{index}`, counted across the conversation)",
  mistral: "Mistral style (9 alphanumeric characters)",
};

function renderOptions(card: DatasetCard): string[] {
  if (!card.options) return [];
  const { includeSystemPrompt, includeReasoning } = card.options;
  return [
    `- System prompt: ${includeSystemPrompt ? "included" : "dropped"}; reasoning: ${includeReasoning ? "included (`reasoning_content`)" : "dropped"}; tool-call ids: ${CALL_ID_STYLES[resolveCallIdStyle(card.options)]}`,
  ];
}
