import { rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModelRole } from "../../domain/common.js";
import type { EpisodeRecord } from "../../domain/episode.js";
import type { ReportSummary } from "../../domain/report.js";
import type { RunCounts } from "../../domain/run.js";
import type { TaskRecord } from "../../domain/task.js";
import type { ProgressListener } from "../../model/stage-env.js";
import type { Store } from "../../store/types.js";
import type { Clock } from "../../support/clock.js";
import { throwIfAborted } from "../../support/concurrency.js";
import { buildReportCharts } from "./report-charts.js";
import { toEpisodeDetail, toJudgmentDetail } from "./report-details.js";
import { copyAssets, DataPageWriter, moveIntoPlace, prepareStaging, writeDataFile } from "./report-files.js";
import { DEFAULT_PAGING, REPORT_FORMAT, REPORT_MARKER, ROW_STATUS, ROW_VERDICT, type IndexRow, type ReportManifest, type ReportPaging } from "./report-model.js";
import { buildPanels } from "./report-panels.js";
import { resolveReportScope, type ReportSelection, type ResolvedScope } from "./report-scope.js";
import { ReportTally, VERIFICATION_CODE } from "./report-tally.js";
import { Vocabulary } from "./vocabulary.js";

export interface WriteReportOptions extends ReportSelection {
  store: Store;
  /** The report folder (index.html goes in it). */
  directory: string;
  /** The export root the folder is in (default: the folder's parent): no part of the path below it may be a symbolic link. */
  root?: string | undefined;
  /** The folder holding index.html, report.js and report.css (the package's `src/export/report/assets`). */
  assetsDirectory: string;
  clock: Clock;
  paging?: Partial<ReportPaging> | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

/** The judge's word on an episode, as the list needs it; the whole judgment is on a judgment page. */
interface JudgmentRef {
  page: number;
  slot: number;
  verdict: "pass" | "fail";
  score: number;
  reasons: readonly string[];
  ofPreferredRun: boolean;
}

/** Characters of an episode's text the list's search box looks through. */
const SEARCH_TEXT = 240;

/**
 * Write the report of a dataset, a run or the whole store: `index.html`, its assets and its data pages, in one
 * streaming pass over the judgment shards and one over the episode shards (a single page of each kind in
 * memory), into a staging folder moved into place when done. Cancelling leaves the earlier report as it was.
 */
export async function writeReport(options: WriteReportOptions): Promise<ReportSummary> {
  const { store, signal } = options;
  const paging: ReportPaging = { ...DEFAULT_PAGING, ...options.paging };
  const resolved = await resolveReportScope(store, options);
  const [agents, domains, tasks, tools] = await Promise.all([store.agents.all(), store.domains.all(), store.tasks.all(), store.tools.all()]);
  const domainName = new Map(domains.map((domain) => [domain.id, domain.name]));
  const agentById = new Map(agents.map((agent) => [agent.id, agent]));
  const taskById = new Map(tasks.map((task) => [task.id, task]));
  const total = resolved.members?.size ?? (await store.episodes.count());
  const staging = await prepareStaging(options.root ?? dirname(options.directory), options.directory);
  try {
    const judgmentPages = new DataPageWriter<ReturnType<typeof toJudgmentDetail>>(staging, "judgments", paging.judgmentsPerPage);
    const judged = await writeJudgmentPages(store, resolved, judgmentPages, signal);
    options.onProgress?.({ done: 0, total, message: `${judged.size} judgment(s) read` });

    const vocabulary = new Vocabulary();
    const tally = new ReportTally();
    const indexPages = new DataPageWriter<IndexRow>(staging, "index", paging.rowsPerIndexPage);
    const episodePages = new DataPageWriter<ReturnType<typeof toEpisodeDetail>>(staging, "episodes", paging.episodesPerPage);
    for await (const episode of store.episodes.scan()) {
      throwIfAborted(signal);
      if (resolved.members && !resolved.members.has(episode.id)) continue;
      const task = taskById.get(episode.taskId);
      const domainId = agentById.get(episode.agentId)?.domainId;
      const domain = domainId ? domainName.get(domainId) ?? domainId : undefined;
      const shape = task?.shape;
      const filtered = resolved.statusOf(episode.id);
      const judgment = judged.get(episode.id);
      const figures = tally.add(episode, { domain, shape, status: filtered.status, verdict: judgment?.verdict, score: judgment?.score });
      await indexPages.add({
        i: episode.id,
        t: episode.taskId,
        d: domain === undefined ? -1 : vocabulary.domains.indexOf(domain),
        s: shape === undefined ? -1 : vocabulary.shapes.indexOf(shape),
        k: filtered.status,
        v: judgment ? ROW_VERDICT[judgment.verdict] : ROW_VERDICT.none,
        sc: judgment?.score ?? -1,
        r: [...new Set([...filtered.reasons, ...(judgment?.reasons ?? [])])].map((reason) => vocabulary.reasons.indexOf(reason)),
        tl: figures.tools.map((tool) => vocabulary.tools.indexOf(tool)),
        m: episode.messages.length,
        c: figures.calls,
        u: figures.userTurns,
        e: vocabulary.endReasons.indexOf(episode.endReason),
        f: figures.faults,
        vo: VERIFICATION_CODE[figures.verification],
        jp: judgment?.page ?? -1,
        jq: judgment?.slot ?? -1,
        x: searchText(episode, task),
      });
      await episodePages.add(toEpisodeDetail(episode, { task, agentName: agentById.get(episode.agentId)?.name, domain, filtered }));
      if (tally.episodes % 100 === 0) options.onProgress?.({ done: tally.episodes, total });
    }
    const pages = { index: await indexPages.finish(), episodes: await episodePages.finish(), judgments: await judgmentPages.finish() };

    const runs = resolved.run ? [resolved.run] : resolved.scope.kind === "all" ? await store.runs.all() : [];
    const catalogCounts = { domains: domains.length, tools: tools.length, agents: agents.length, tasks: tasks.length };
    const stageCounts = stageCountsOf(resolved.run?.counts, catalogCounts, tally);
    const rejectionCounts = Object.entries(resolved.dataset?.rejectionCounts ?? {});
    const panels = buildPanels({ resolved, runs, tally, tools, stageCounts, rejectionCounts });
    const charts = buildReportCharts({
      tally,
      stageCounts,
      rejectionCounts,
      passHatK: resolved.dataset?.passHatK ?? resolved.run?.passHatK,
      taskStats: resolved.dataset?.taskStats ?? resolved.run?.taskStats,
      tokensPerRole: tokensPerRole(runs),
    });
    const manifest: ReportManifest = {
      format: REPORT_FORMAT,
      title: titleOf(resolved.scope),
      scope: resolved.scope,
      writtenAt: options.clock.now().toISOString(),
      episodes: tally.episodes,
      kept: tally.kept,
      rejected: tally.rejected,
      judged: tally.judged,
      paging,
      pages,
      vocabulary: vocabulary.toJSON(),
      panels,
      charts,
    };
    const manifestBytes = await writeDataFile(staging, "manifest", manifest);
    const marker = `${JSON.stringify({ format: REPORT_FORMAT, scope: resolved.scope, episodes: tally.episodes, writtenAt: manifest.writtenAt }, null, 2)}\n`;
    await writeFile(join(staging, REPORT_MARKER), marker);
    const assetBytes = await copyAssets(options.assetsDirectory, staging);
    throwIfAborted(signal);
    await moveIntoPlace(staging, options.directory);
    options.onProgress?.({ done: tally.episodes, total: tally.episodes });
    const indexPath = join(options.directory, "index.html");
    return {
      scope: resolved.scope,
      directory: options.directory,
      indexPath,
      fileUrl: pathToFileURL(indexPath).href,
      episodes: tally.episodes,
      kept: tally.kept,
      rejected: tally.rejected,
      judged: tally.judged,
      pages,
      charts: charts.filter((chart) => chart.spec !== undefined).length,
      bytes: indexPages.bytes + episodePages.bytes + judgmentPages.bytes + manifestBytes + assetBytes + Buffer.byteLength(marker),
    };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The judgments of the report's episodes onto judgment pages, in one pass: for each episode the one the filter
 * saw (the preferred run's, else the newest), as the list needs it. A judgment superseded later stays on its
 * page, unreferenced.
 */
async function writeJudgmentPages(store: Store, resolved: ResolvedScope, pages: DataPageWriter<ReturnType<typeof toJudgmentDetail>>, signal: AbortSignal | undefined): Promise<Map<string, JudgmentRef>> {
  const judged = new Map<string, JudgmentRef>();
  for await (const judgment of store.judgments.scan()) {
    throwIfAborted(signal);
    if (resolved.members && !resolved.members.has(judgment.episodeId)) continue;
    const ofPreferredRun = resolved.preferredRunId !== undefined && judgment.runId === resolved.preferredRunId;
    if (judged.get(judgment.episodeId)?.ofPreferredRun && !ofPreferredRun) continue;
    const { page, slot } = await pages.add(toJudgmentDetail(judgment));
    judged.set(judgment.episodeId, { page, slot, verdict: judgment.verdict, score: judgment.score, reasons: judgment.reasons, ofPreferredRun });
  }
  return judged;
}

function searchText(episode: EpisodeRecord, task: TaskRecord | undefined): string {
  const firstUser = episode.messages.find((message) => message.role === "user")?.content ?? "";
  const answer = episode.messages.findLast((message) => message.role === "assistant" && message.content)?.content ?? "";
  return [task?.goal ?? "", firstUser, answer].join(" · ").replace(/\s+/g, " ").slice(0, SEARCH_TEXT);
}

/** Counts per stage: the run's when there is one, else the catalogs' sizes and what the report counted. */
function stageCountsOf(counts: RunCounts | undefined, catalog: Record<"domains" | "tools" | "agents" | "tasks", number>, tally: ReportTally): Array<[string, number]> {
  const figures: RunCounts = counts ?? { ...catalog, episodes: tally.episodes, episodesFailed: tally.episodes - tally.completed, judged: tally.judged, passed: tally.passed, kept: tally.kept, rejected: tally.rejected, exported: 0 };
  const order = ["domains", "tools", "agents", "tasks", "episodes", "judged", "passed", "kept", "rejected", "exported"] as const;
  return order.map((stage) => [stage, figures[stage]]);
}

function tokensPerRole(runs: ReadonlyArray<{ usage: Partial<Record<ModelRole, { inputTokens: number; outputTokens: number }>> }>): Array<{ role: string; input: number; output: number }> {
  const totals = new Map<string, { role: string; input: number; output: number }>();
  for (const run of runs) {
    for (const [role, usage] of Object.entries(run.usage)) {
      const entry = totals.get(role) ?? { role, input: 0, output: 0 };
      entry.input += usage.inputTokens;
      entry.output += usage.outputTokens;
      totals.set(role, entry);
    }
  }
  return [...totals.values()];
}

function titleOf(scope: ReportManifest["scope"]): string {
  if (scope.kind === "dataset") return `Dataset ${scope.datasetName}`;
  if (scope.kind === "run") return `Run ${scope.runId}`;
  return "Every stored episode";
}
