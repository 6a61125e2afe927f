import type { ExportFormat } from "../domain/config.js";
import type { PassHatK, TaskStats } from "../domain/dataset.js";
import { ExecutionSchema, type Execution } from "../domain/episode.js";
import { ToolSourceSchema } from "../domain/tool.js";
import type { ToolCount, ToolResultCounts } from "./episode-tally.js";
import type { ScoreBin } from "./score-histogram.js";

/** The judge-score histogram section (nothing when no scores are known). */
export function renderScores(bins: readonly ScoreBin[] | undefined): string[] {
  if (!bins || bins.every((bin) => bin.judged === 0)) return [];
  const lines = ["", "## Judge scores", "", "Weighted rubric score of every judged episode the filter saw.", "", "| score | judged | kept |", "| --- | ---: | ---: |"];
  for (const bin of bins) lines.push(`| ${bin.from.toFixed(1)}–${bin.to.toFixed(1)}${bin.to >= 1 ? " (incl.)" : ""} | ${bin.judged} | ${bin.kept} |`);
  return lines;
}

/** pass^k (τ-bench) averaged over tasks, and how task success rates spread. */
export function renderReliability(taskStats: Record<string, TaskStats> | undefined, passHatK: PassHatK | undefined): string[] {
  const tasks = Object.values(taskStats ?? {});
  if (tasks.length === 0) return [];
  const lines = ["", "## Reliability (pass^k)", "", "pass^k: the chance that k episodes of a task all pass, C(passed, k) / C(episodes, k), averaged over the tasks with at least k judged episodes (as in τ-bench).", "", "| k | pass^k | tasks |", "| ---: | ---: | ---: |"];
  for (const [k, value] of Object.entries(passHatK ?? {})) lines.push(`| ${k} | ${value.toFixed(3)} | ${tasks.filter((task) => task.episodes >= Number(k)).length} |`);
  const bands: Array<[string, (rate: number) => boolean]> = [
    ["0 %", (rate) => rate === 0],
    ["1–49 %", (rate) => rate > 0 && rate < 0.5],
    ["50–99 %", (rate) => rate >= 0.5 && rate < 1],
    ["100 %", (rate) => rate === 1],
  ];
  lines.push("", "| task success rate | tasks |", "| --- | ---: |");
  for (const [label, inBand] of bands) lines.push(`| ${label} | ${tasks.filter((task) => inBand(task.successRate)).length} |`);
  return lines;
}

/** Real, synthetic and imported tools among those declared to exported records, and the calls to each kind. */
export function renderToolSummary(tools: readonly ToolCount[]): string[] {
  const parts = ToolSourceSchema.options.map((source) => {
    const ofSource = tools.filter((tool) => tool.source === source);
    return `${ofSource.length} ${source} (${ofSource.reduce((sum, tool) => sum + tool.calls, 0)} calls)`;
  });
  return [`Tools declared in exported records: ${tools.length} — ${parts.join(", ")}. Real tools are third-party MCP servers' tools; synthetic ones were evolved from the domain taxonomy; imported ones came from tool spec files.`];
}

const ANSWERED_BY: Record<Execution, string> = {
  real: "the live MCP server (read-only tools, or as the execution policy allowed)",
  environment: "the environment executor: the tool's declared effect run on the episode's world state (no model asked)",
  simulated: "the tool simulator, over the episode's world state",
  recorded: "a recorded real answer to the same arguments (replay)",
  fallback: "the tool simulator, after the live server failed (crash, hang, dropped session)",
};

/** How the tool results in the records were produced (live servers, the simulator, recordings, fallbacks), with injected faults and context cuts. */
export function renderToolResults(results: ToolResultCounts | undefined): string[] {
  if (!results || Object.keys(results.executions).length === 0) return [];
  const faults = Object.entries(results.faults).sort(([a], [b]) => a.localeCompare(b));
  return [
    "",
    "## Tool results",
    "",
    "| execution | results | what answered |",
    "| --- | ---: | --- |",
    ...ExecutionSchema.options.map((execution) => `| ${execution} | ${results.executions[execution] ?? 0} | ${ANSWERED_BY[execution]} |`),
    "",
    `Injected faults: ${faults.length ? faults.map(([kind, count]) => `${kind} ${count}`).join(", ") : "none"}. Tool results shortened to fit the agent's context budget: ${results.contextCuts}.`,
  ];
}

/** How to load the files in the format's usual trainer. */
export function renderLoading(format: ExportFormat, files: ReadonlyArray<{ split: string; fileName: string }>): string[] {
  const dataFiles = files.length === 1 ? `"${files[0]?.fileName}"` : `{${files.map((file) => `"${file.split}": "${file.fileName}"`).join(", ")}}`;
  const lines = ["", "## Loading", "", "```python", "from datasets import load_dataset", `ds = load_dataset("json", data_files=${dataFiles})`];
  if (format === "hf") lines.push("# row = ds[\"train\"][0]; tokenizer.apply_chat_template(row[\"messages\"], tools=row[\"tools\"], tokenize=False)");
  lines.push("```");
  if (format === "sharegpt") {
    const train = files.find((file) => file.split === "train")?.fileName ?? "train.jsonl";
    lines.push("", "In LLaMA-Factory, describe it in `dataset_info.json`:", "", "```json", `{"agentsynth": {"file_name": "${train}", "formatting": "sharegpt", "columns": {"messages": "conversations", "tools": "tools"}}}`, "```");
  }
  return lines;
}
