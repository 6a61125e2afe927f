import type { RunRecord } from "../../domain/run.js";
import type { ToolRecord } from "../../domain/tool.js";
import type { ReportFact, ReportPanels, ReportTable } from "./report-model.js";
import type { ResolvedScope } from "./report-scope.js";
import type { ReportTally } from "./report-tally.js";

export const NOT_RECORDED = "not recorded";

interface PanelInput {
  resolved: ResolvedScope;
  /** The runs whose models, usage and config the report shows. */
  runs: readonly RunRecord[];
  tally: ReportTally;
  tools: readonly ToolRecord[];
  stageCounts: Array<[string, number]>;
  rejectionCounts: Array<[string, number]>;
}

/** The tables and facts of the overview and coverage pages. Fields other work adds to runs (spend, tool audit) are read defensively. */
export function buildPanels(input: PanelInput): ReportPanels {
  const { resolved, tally } = input;
  const run = resolved.run;
  const called = new Set(tally.toolCalls.entries().map(([name]) => name));
  const neverCalled = input.tools.filter((tool) => tally.toolsOffered.has(tool.id) && !called.has(tool.name));
  return {
    facts: facts(input),
    stageCounts: { columns: ["stage", "count"], rows: input.stageCounts.map(([stage, count]) => [stage, String(count)]) },
    rejectionReasons: { columns: ["reason", "episodes"], rows: [...input.rejectionCounts].sort(([, a], [, b]) => b - a).map(([reason, count]) => [reason, String(count)]) },
    models: modelTable(input.runs),
    toolAudit: toolAudit(run),
    neverCalled: { columns: ["tool", "source"], rows: neverCalled.map((tool) => [tool.name, tool.source]) },
    config: run ? JSON.stringify(run.config, null, 2) : undefined,
    filter: resolved.dataset ? JSON.stringify(resolved.dataset.filter, null, 2) : undefined,
  };
}

function facts({ resolved, tally }: PanelInput): ReportFact[] {
  const { dataset, run } = resolved;
  const list: Array<[string, string | number | undefined]> = [
    ["dataset", dataset ? `${dataset.name} (${dataset.id})` : undefined],
    ["run", run ? `${run.id} (${run.status})` : undefined],
    ["config", run?.config.name],
    ["config seed", run?.config.seed],
    ["dataset seed", dataset?.provenance.seed],
    ["episodes", tally.episodes],
    ["completed", tally.completed],
    ["judged", tally.judged],
    ["passed", tally.passed],
    ["kept", tally.kept],
    ["rejected", tally.rejected],
    ["end reasons", tally.endReasons.entries().map(([reason, count]) => `${reason} ${count}`).join(", ")],
    ["context cuts", tally.contextCuts],
  ];
  return list.filter(([, value]) => value !== undefined && value !== "").map(([label, value]) => ({ label, value: String(value) }));
}

/** Per role: the model, requests, tokens and spend (spend: when the run recorded a cost for the role). */
function modelTable(runs: readonly RunRecord[]): ReportTable {
  const rows = new Map<string, { model: string; requests: number; input: number; output: number; cost: number | undefined }>();
  for (const run of runs) {
    const spend = readSpend(run);
    const roles = new Set([...Object.keys(run.provenance.models), ...Object.keys(run.usage)]);
    for (const role of roles) {
      const model = run.provenance.models[role as keyof typeof run.provenance.models];
      const usage = run.usage[role as keyof typeof run.usage];
      const entry = rows.get(role) ?? { model: model ? `${model.provider}/${model.model}` : NOT_RECORDED, requests: 0, input: 0, output: 0, cost: undefined };
      entry.requests += usage?.requests ?? 0;
      entry.input += usage?.inputTokens ?? 0;
      entry.output += usage?.outputTokens ?? 0;
      const cost = spend(role, usage);
      if (cost !== undefined) entry.cost = (entry.cost ?? 0) + cost;
      rows.set(role, entry);
    }
  }
  return {
    columns: ["role", "model", "requests", "input tokens", "output tokens", "spend"],
    rows: [...rows].map(([role, entry]) => [role, entry.model, String(entry.requests), String(entry.input), String(entry.output), entry.cost === undefined ? NOT_RECORDED : entry.cost.toFixed(4)]),
  };
}

/** A role's cost on a run: `usage[role].cost`, or `spend[role]` (a number or `{ cost }`), whichever the run records. */
function readSpend(run: RunRecord): (role: string, usage: unknown) => number | undefined {
  const spend = (run as { spend?: unknown }).spend;
  return (role, usage) => {
    const fromUsage = (usage as { cost?: unknown } | undefined)?.cost;
    if (typeof fromUsage === "number") return fromUsage;
    const entry = typeof spend === "object" && spend !== null ? (spend as Record<string, unknown>)[role] : undefined;
    if (typeof entry === "number") return entry;
    const cost = (entry as { cost?: unknown } | undefined)?.cost;
    return typeof cost === "number" ? cost : undefined;
  };
}

/** The run's tool audit, when it recorded one: a list of entries becomes a table of their fields, an object a table of its keys. */
function toolAudit(run: RunRecord | undefined): ReportTable | undefined {
  const audit = (run as { toolAudit?: unknown } | undefined)?.toolAudit;
  if (Array.isArray(audit)) {
    const entries = audit.filter((entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null);
    const columns = [...new Set(entries.flatMap((entry) => Object.keys(entry)))];
    return { columns, rows: entries.map((entry) => columns.map((column) => show(entry[column]))) };
  }
  if (typeof audit === "object" && audit !== null) return { columns: ["", "value"], rows: Object.entries(audit).map(([key, value]) => [key, show(value)]) };
  return undefined;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
