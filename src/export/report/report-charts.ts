import type { PassHatK, TaskStats } from "../../domain/dataset.js";
import type { ScoreBin } from "../score-histogram.js";
import type { ReportChart } from "./report-model.js";
import type { Counter, ReportTally } from "./report-tally.js";

/** What the charts are drawn from: the streamed tally, and the figures the dataset and run records hold. */
export interface ChartInput {
  tally: ReportTally;
  stageCounts: Array<[string, number]>;
  rejectionCounts: Array<[string, number]>;
  passHatK: PassHatK | undefined;
  taskStats: Record<string, TaskStats> | undefined;
  tokensPerRole: Array<{ role: string; input: number; output: number }>;
}

type Spec = Record<string, unknown>;
type Row = Record<string, string | number>;

const WIDTH = 500;
const HEIGHT = 200;
/** Bars shown at most in a ranking (tools by calls); the rest are summed up in the caption. */
const TOP_TOOLS = 30;
/** An axis of counts: whole numbers only. */
const COUNT_AXIS = { format: "d", tickMinStep: 1 };
const COLORS = { kept: "#2f855a", rejected: "#c05621", neutral: "#3b6ea8", other: "#8a94a6" };

/**
 * The report's charts as Vega-Lite specs with their data inline: plain JSON, rendered in the page by the
 * bundled vega-embed (and renderable to SVG in Node by vega, which the tests do). A chart with nothing to draw
 * has no spec; the page says why in its place.
 */
export function buildReportCharts(input: ChartInput): ReportChart[] {
  const { tally } = input;
  return [
    chart("stage-counts", "overview", "Counts per stage", "Records made at each stage, from the registry to the export.", bars(rows(input.stageCounts, "stage"), { x: "stage", y: "count", sort: null })),
    chart("kept-rejected", "overview", "Kept and rejected", "Episodes the filter kept and rejected; an episode the filter never saw is 'not filtered'.", keptRejected(tally)),
    chart("rejection-reasons", "overview", "Rejection reasons", "Rejected episodes per reason code (an episode may have several).", ranking(rows(input.rejectionCounts, "reason"), "reason", COLORS.rejected), "no episode was rejected"),
    chart("score-histogram", "overview", "Judge scores", "Judged episodes per score bin, kept and rejected.", scoreHistogram(input.tally.scores), "no episode was judged"),
    chart("pass-k", "overview", "pass^k", "The chance that k episodes of a task all pass (τ-bench), averaged over the tasks with at least k judged episodes.", passHatK(input.passHatK), "not recorded: pass^k comes with a filtered dataset"),
    chart("task-success", "overview", "Task success rates", "Tasks per share of their episodes that passed.", taskSuccess(input.taskStats), "not recorded: task success rates come with a filtered dataset"),
    chart("verification", "overview", "Verification against the blueprint", "Episodes whose final world state matched the task's blueprint, failed it, could not be verified, or carry no verification.", ranking(rows(tally.verification.entries(), "outcome"), "outcome", COLORS.neutral)),
    chart("tokens-per-role", "overview", "Tokens per model role", "Input and output tokens each role used.", tokensPerRole(input.tokensPerRole), "not recorded: token usage is kept on runs"),
    chart("domain-shape", "coverage", "Domains × task shapes", "Episodes per domain and task shape ('not recorded' when the task has no shape).", domainShapes(tally.domainShapes)),
    chart("tool-usage", "coverage", "Tool calls", `Calls per tool (the ${TOP_TOOLS} most called); tools never called are listed below.`, ranking(rows(tally.toolCalls.entries(), "tool"), "tool", COLORS.neutral, TOP_TOOLS), "no tool was called"),
    chart("calls-per-episode", "coverage", "Tool calls per episode", "Episodes by the number of tool calls in them.", distribution(tally.callsPerEpisode, "tool calls")),
    chart("user-turns", "coverage", "User turns per episode", "Episodes by the number of user messages in them.", distribution(tally.userTurnsPerEpisode, "user turns")),
    chart("episode-length", "coverage", "Episode length", "Episodes by the number of messages in them.", distribution(tally.messagesPerEpisode, "messages")),
    chart("executions", "coverage", "How tool results were produced", "Tool results per execution: real (live server), environment (declared effect), simulated (LLM world model), recorded (replay), fallback (a real server failed).", ranking(rows(tally.executions.entries(), "execution"), "execution", COLORS.neutral), "no tool was called"),
    chart("faults", "coverage", "Injected faults and recoveries", "Injected faults per kind, and those in episodes the judge passed (the agent recovered).", faults(tally), "no fault was injected"),
  ];
}

function chart(id: string, section: ReportChart["section"], title: string, caption: string, spec: Spec | undefined, empty = "nothing recorded"): ReportChart {
  return spec ? { id, section, title, caption, spec } : { id, section, title, caption, empty };
}

function rows(entries: Array<[string, number]>, key: string): Row[] {
  return entries.filter(([, count]) => count > 0).map(([name, count]) => ({ [key]: name, count }));
}

function base(values: Row[], extra: Spec): Spec | undefined {
  if (values.length === 0) return undefined;
  // fit-x: the axes and labels fit in the card's width, however long the names on them.
  return { width: WIDTH, height: HEIGHT, autosize: { type: "fit-x", contains: "padding" }, data: { values }, config: { view: { stroke: null }, axis: { labelLimit: 180 } }, ...extra };
}

function bars(values: Row[], options: { x: string; y: string; sort: string | null }): Spec | undefined {
  return base(values, {
    mark: { type: "bar", color: COLORS.neutral, tooltip: true },
    encoding: { x: { field: options.x, type: "nominal", sort: options.sort, axis: { labelAngle: -30 } }, y: { field: options.y, type: "quantitative", axis: COUNT_AXIS } },
  });
}

/** Horizontal bars, largest first. */
function ranking(values: Row[], field: string, color: string, limit = Infinity): Spec | undefined {
  const shown = [...values].sort((a, b) => Number(b.count) - Number(a.count)).slice(0, limit);
  return base(shown, {
    height: shown.length * 17,
    mark: { type: "bar", color, tooltip: true },
    encoding: { y: { field, type: "nominal", sort: "-x", title: null }, x: { field: "count", type: "quantitative", axis: COUNT_AXIS } },
  });
}

function keptRejected(tally: ReportTally): Spec | undefined {
  const unfiltered = tally.episodes - tally.kept - tally.rejected;
  const values = [
    { outcome: "kept", count: tally.kept },
    { outcome: "rejected", count: tally.rejected },
    { outcome: "not filtered", count: unfiltered },
  ].filter((row) => row.count > 0);
  return base(values, {
    height: values.length * 28,
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "outcome", type: "nominal", sort: null, title: null },
      x: { field: "count", type: "quantitative", axis: COUNT_AXIS },
      color: { field: "outcome", type: "nominal", scale: { domain: ["kept", "rejected", "not filtered"], range: [COLORS.kept, COLORS.rejected, COLORS.other] }, legend: null },
    },
  });
}

function scoreHistogram(bins: ScoreBin[]): Spec | undefined {
  if (bins.every((bin) => bin.judged === 0)) return undefined;
  const values = bins.flatMap((bin) => {
    const label = `${bin.from.toFixed(1)}–${bin.to.toFixed(1)}`;
    return [
      { bin: label, group: "kept", count: bin.kept },
      { bin: label, group: "not kept", count: bin.judged - bin.kept },
    ];
  });
  return base(values, {
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "bin", type: "ordinal", sort: null, title: "score" },
      y: { field: "count", type: "quantitative", stack: "zero", axis: COUNT_AXIS },
      color: { field: "group", type: "nominal", scale: { domain: ["kept", "not kept"], range: [COLORS.kept, COLORS.rejected] }, title: null },
    },
  });
}

function passHatK(values: PassHatK | undefined): Spec | undefined {
  const entries = Object.entries(values ?? {}).map(([k, value]) => ({ k: Number(k), "pass^k": value }));
  return base(entries, {
    mark: { type: "bar", color: COLORS.neutral, tooltip: true },
    encoding: { x: { field: "k", type: "ordinal" }, y: { field: "pass^k", type: "quantitative", scale: { domain: [0, 1] } } },
  });
}

function taskSuccess(stats: Record<string, TaskStats> | undefined): Spec | undefined {
  const rates = Object.values(stats ?? {}).map((task) => ({ rate: task.successRate }));
  return base(rates, {
    mark: { type: "bar", color: COLORS.neutral, tooltip: true },
    encoding: { x: { field: "rate", type: "quantitative", bin: { extent: [0, 1], step: 0.1 }, title: "success rate" }, y: { aggregate: "count", type: "quantitative", title: "tasks", axis: COUNT_AXIS } },
  });
}

function tokensPerRole(roles: ChartInput["tokensPerRole"]): Spec | undefined {
  const values = roles.flatMap((role) => [
    { role: role.role, kind: "input", tokens: role.input },
    { role: role.role, kind: "output", tokens: role.output },
  ]);
  return base(
    values.filter((row) => row.tokens > 0),
    {
      mark: { type: "bar", tooltip: true },
      encoding: {
        x: { field: "role", type: "nominal", sort: null, axis: { labelAngle: 0 } },
        y: { field: "tokens", type: "quantitative", stack: "zero" },
        color: { field: "kind", type: "nominal", scale: { range: [COLORS.neutral, COLORS.kept] }, title: null },
      },
    },
  );
}

function domainShapes(counts: Counter): Spec | undefined {
  const values = counts.entries().map(([key, count]) => {
    const [domain = "", shape = ""] = key.split("\u0000");
    return { domain, shape, count };
  });
  return base(values, {
    width: { step: 70 },
    height: { step: 16 },
    autosize: { type: "pad" },
    encoding: { x: { field: "shape", type: "nominal", axis: { labelAngle: -30 }, title: "task shape" }, y: { field: "domain", type: "nominal", title: null } },
    layer: [
      { mark: { type: "rect", tooltip: true }, encoding: { color: { field: "count", type: "quantitative", scale: { scheme: "blues" }, title: "episodes", legend: { format: "d" } } } },
      { mark: { type: "text", fontSize: 10 }, encoding: { text: { field: "count", type: "quantitative" } } },
    ],
  });
}

function distribution(counts: Counter, label: string): Spec | undefined {
  const values = counts.entries().map(([value, episodes]) => ({ [label]: Number(value), episodes }));
  return base(values, {
    mark: { type: "bar", color: COLORS.neutral, tooltip: true },
    encoding: { x: { field: label, type: "ordinal", sort: "ascending" }, y: { field: "episodes", type: "quantitative", axis: COUNT_AXIS } },
  });
}

function faults(tally: ReportTally): Spec | undefined {
  const values = tally.faultsInjected.entries().flatMap(([kind, count]) => [
    { kind, group: "injected", count },
    { kind, group: "recovered", count: tally.faultsRecovered.get(kind) },
  ]);
  return base(values, {
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "kind", type: "nominal", title: "fault" },
      xOffset: { field: "group", type: "nominal" },
      y: { field: "count", type: "quantitative", axis: COUNT_AXIS },
      color: { field: "group", type: "nominal", scale: { domain: ["injected", "recovered"], range: [COLORS.rejected, COLORS.kept] }, title: null },
    },
  });
}
