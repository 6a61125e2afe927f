import { existsSync } from "node:fs";
import { basename, extname, join } from "node:path";
import type { ExportFormat } from "../domain/config.js";
import type { CurationBadLine, CurationSummary } from "../domain/curation.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import type { RubricCriterion } from "../domain/rubric.js";
import { InputError } from "../errors/input-error.js";
import { renderCurationCard } from "../export/curation-card.js";
import { JsonlWriter } from "../export/jsonl-writer.js";
import { readConversation, type BadLineReason } from "../export/read-conversation.js";
import { DuplicateDetector } from "../filter/near-duplicates.js";
import { judgeEpisode } from "../judge/judge-episode.js";
import { createJudgeCommittee } from "../model/judge-committee.js";
import type { StageEnv } from "../model/stage-env.js";
import { throwIfAborted } from "../support/concurrency.js";
import { makeDirectoryUnder, writeFileAtomic } from "../support/no-follow-files.js";
import { resolveUnderRoot } from "./export-path.js";
import { CURATION_LLM_CRITERIA, CURATION_RULES, toForeignRecords } from "./foreign-conversations.js";
import { countLines, openInputFile, readLines } from "./input-files.js";
import type { OperationOptions } from "./operation-options.js";
import { chooseSeed, createRunModels, type WorkspaceContext } from "./workspace-context.js";

export const KEPT_FILE = "kept.jsonl";
export const REJECTED_FILE = "rejected.jsonl";
export const CURATION_CARD_FILE = "README.md";
/** How many bad lines the summary lists (all of them are in rejected.jsonl). */
const LISTED_BAD_LINES = 20;

export interface CurateDatasetInput {
  /** The JSONL file: one conversation a line. */
  file: string;
  /** The format its lines are in (default openai). */
  format?: ExportFormat | undefined;
  /** The output folder under the export root (default `curated-<file name>`). */
  out?: string | undefined;
  /** Score the generic rubric with the LLM judge (default: when the judge model is not the offline engine). */
  llmJudge?: boolean | undefined;
  /** Drop duplicates and near duplicates of kept records (default: the config's filter.dedupe). */
  dedupe?: boolean | undefined;
  /** Keep only records whose score reaches this (default: the config's filter.minScore). */
  minScore?: number | undefined;
  /** Overwrite a folder that holds a curation already. */
  force?: boolean | undefined;
}

/**
 * Curate a dataset made elsewhere: read the JSONL file line by line (never whole), read each line as a
 * conversation of the format (a line that holds none is a bad line: reported with its number, written to
 * rejected.jsonl, and the run goes on), judge it with the format checks, the judge's rules and the curation rules,
 * and — when a judge model is configured — the LLM judge on a generic rubric, then filter (verdict, minimum score,
 * duplicates and near duplicates of kept records) and write `kept.jsonl`, `rejected.jsonl` and a dataset card
 * into the output folder. Files appear only when complete; a cancellation leaves none behind.
 */
export async function curateDataset(context: WorkspaceContext, input: CurateDatasetInput, options: OperationOptions): Promise<CurationSummary> {
  const format = input.format ?? "openai";
  const file = await openInputFile(input.file, "the dataset file", context.fileAccess);
  try {
    const directory = resolveUnderRoot(context.exportRoot, input.out ?? `curated-${basename(file.absolute, extname(file.absolute)) || "dataset"}`, { allowRoot: true });
    const present = [KEPT_FILE, REJECTED_FILE, CURATION_CARD_FILE].filter((name) => existsSync(join(directory, name)));
    if (present.length > 0 && !input.force) throw new InputError(`${directory} holds ${present.join(", ")} already; nothing was written. Give --force (MCP: force) to overwrite them, or choose another output folder`);
    const total = await countLines(file, options.signal);
    const seed = chooseSeed(context, undefined, "curate", 0);
    const models = createRunModels(context, seed);
    const env: StageEnv = { models, ids: context.ids, clock: context.clock, seed, signal: options.signal, onWarning: context.onWarning };
    const llmJudge = input.llmJudge ?? models.judge.ref.provider !== "offline";
    const committee = llmJudge ? createJudgeCommittee(models, context.config.models, context.config.judge.committee, { seed, env: context.env }) : undefined;
    const criteria = llmJudge ? [...CURATION_RULES, ...CURATION_LLM_CRITERIA] : CURATION_RULES;
    const filter = context.config.filter;
    const minScore = input.minScore ?? filter.minScore;
    const dedupe = input.dedupe ?? filter.dedupe;
    const duplicates = dedupe ? new DuplicateDetector({ nearDuplicateThreshold: filter.nearDuplicateThreshold, seed }) : undefined;

    await makeDirectoryUnder(context.exportRoot, directory);
    const kept = await JsonlWriter.create(join(directory, KEPT_FILE));
    const rejected = await JsonlWriter.create(join(directory, REJECTED_FILE)).catch(async (error: unknown) => {
      await kept.discard();
      throw error;
    });
    const rejectionCounts: Record<string, number> = {};
    const badLines: CurationBadLine[] = [];
    let lines = 0;
    let badCount = 0;
    const reject = async (sourceLine: number, reasons: string[], details: string[], record: unknown): Promise<void> => {
      for (const reason of reasons) rejectionCounts[reason] = (rejectionCounts[reason] ?? 0) + 1;
      await rejected.write({ source_line: sourceLine, reasons, details, record });
    };
    try {
      const batchSize = Math.max(1, context.config.judge.concurrency);
      let batch: Array<{ number: number; text: string }> = [];
      const flush = async (): Promise<void> => {
        // Judged concurrently, filtered and written in line order (so duplicates are found the same way every time).
        const judged = await Promise.all(batch.map((line) => judgeLine(env, format, line, criteria, committee)));
        for (const [index, outcome] of judged.entries()) {
          const line = batch[index] as { number: number; text: string };
          if (outcome.kind === "bad") {
            if (badLines.length < LISTED_BAD_LINES) badLines.push({ line: line.number, reason: outcome.reason, detail: outcome.detail });
            await reject(line.number, [outcome.reason], [outcome.detail], outcome.record);
            badCount++;
            continue;
          }
          const { judgment, episode, record } = outcome;
          const reasons = judgment.verdict === "pass" ? [] : judgment.reasons.length ? [...judgment.reasons] : ["verdict_fail"];
          if (judgment.score < minScore) reasons.push("below_min_score");
          if (reasons.length === 0) {
            const duplicate = duplicates?.check(episode);
            if (duplicate) reasons.push(duplicate);
          }
          if (reasons.length) await reject(line.number, reasons, describeFailures(judgment), record);
          else await kept.write(record as object);
        }
        options.onProgress?.({ done: batch.at(-1)?.number ?? 0, total, message: `kept ${kept.records}, rejected ${rejected.records}` });
        batch = [];
      };
      for await (const line of readLines(file, options.signal)) {
        if (line.text.trim() === "") continue;
        lines++;
        batch.push(line);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      throwIfAborted(options.signal);
      const summary: CurationSummary = {
        source: file.absolute,
        directory,
        lines,
        kept: kept.records,
        rejected: rejected.records,
        badLines: badCount,
        llmJudge,
        rejectionCounts,
        firstBadLines: badLines,
      };
      await kept.commit();
      await rejected.commit();
      await writeFileAtomic(
        join(directory, CURATION_CARD_FILE),
        renderCurationCard({
          summary,
          format,
          criteria: criteria.map((criterion) => `${criterion.kind === "rule" ? "Rule" : "LLM criterion"} \`${criterion.id}\`${criterion.required ? " (required)" : ""}: ${criterion.description}`),
          filter: [`verdict pass and score ≥ ${minScore}`, dedupe ? `duplicates and near duplicates (similarity ≥ ${filter.nearDuplicateThreshold}) of kept records dropped` : "duplicates kept"],
          judgeModel: llmJudge ? `${models.judge.ref.provider}:${models.judge.ref.model}` : undefined,
        }),
      );
      return summary;
    } catch (error) {
      await Promise.all([kept.discard(), rejected.discard()]);
      throw error;
    }
  } finally {
    await file.handle.close();
  }
}

type LineOutcome =
  | { kind: "bad"; reason: BadLineReason; detail: string; record: unknown }
  | { kind: "judged"; judgment: JudgmentRecord; episode: EpisodeRecord; record: unknown };

async function judgeLine(env: StageEnv, format: ExportFormat, line: { number: number; text: string }, criteria: RubricCriterion[], committee: ReturnType<typeof createJudgeCommittee> | undefined): Promise<LineOutcome> {
  const read = readConversation(format, line.text);
  if (!read.ok) return { kind: "bad", reason: read.reason, detail: read.detail, record: read.reason === "not_json" ? line.text : JSON.parse(line.text) };
  const record: unknown = JSON.parse(line.text);
  const { tools, task, episode } = toForeignRecords(read.conversation, env, { task: `tsk_line${line.number}`, episode: `ep_line${line.number}`, criteria });
  const judgment = await judgeEpisode(env, { episode, task, tools, committee });
  return { kind: "judged", judgment, episode, record };
}

/** Why a judgment failed, in words: the failed format checks' details and the failed criteria's rationales. */
function describeFailures(judgment: JudgmentRecord): string[] {
  const checks = judgment.formatChecks.flatMap((check) => (check.passed ? [] : [`${check.id}: ${check.detail ?? check.reason ?? "failed"}`]));
  const criteria = judgment.criteria.flatMap((score) => (score.score < 0.5 && score.weight > 0 ? [`${score.criterionId}: ${score.rationale}`] : []));
  return [...checks, ...criteria];
}

