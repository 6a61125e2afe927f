import { VerificationOutcomeSchema, type VerificationOutcome } from "../domain/episode.js";
import type { TaskGateTally, ToolCheckTally } from "../domain/run.js";
import type { TaskShape } from "../domain/task.js";

/*
 * What the dataset card says about the checks behind the records: each episode's verification against its task's
 * blueprint (of the episodes the filter saw, and of the kept ones), the task shapes of the kept records, the tool
 * audit and the gate before simulation.
 */

export type VerificationCounts = Record<VerificationOutcome, { seen: number; kept: number }>;

/** Counts, episode by episode, verification outcomes and the shapes of the kept episodes' tasks. */
export class CheckTally {
  readonly #shapeOf: ReadonlyMap<string, TaskShape | undefined>;
  readonly #verification = Object.fromEntries(VerificationOutcomeSchema.options.map((outcome) => [outcome, { seen: 0, kept: 0 }])) as VerificationCounts;
  readonly #shapes: Record<string, number> = {};

  constructor(tasks: ReadonlyArray<{ id: string; shape?: TaskShape | undefined }>) {
    this.#shapeOf = new Map(tasks.map((task) => [task.id, task.shape]));
  }

  /** One episode the filter saw: its task and how its verification came out (as the store's episode facts say). */
  add(episode: { taskId: string; verification: VerificationOutcome }, kept: boolean): void {
    const outcome = this.#verification[episode.verification];
    outcome.seen++;
    if (!kept) return;
    outcome.kept++;
    const shape = this.#shapeOf.get(episode.taskId) ?? "unspecified";
    this.#shapes[shape] = (this.#shapes[shape] ?? 0) + 1;
  }

  verification(): VerificationCounts {
    return structuredClone(this.#verification);
  }

  /** Kept episodes per task shape. */
  shapes(): Record<string, number> {
    return { ...this.#shapes };
  }
}

const OUTCOME_LABELS: Record<VerificationOutcome, string> = {
  matched: "matched: the world state is the blueprint's and the answer states its facts",
  failed: "failed: another world state, or answer facts missing",
  not_applicable: "not applicable: no blueprint, or a tool outside the environment (real server, no declared effect)",
  unverified: "unverified: recorded before verification existed",
};

/** Verification against the blueprint, for the episodes the filter saw and the kept ones. */
export function renderVerification(counts: VerificationCounts | undefined): string[] {
  if (!counts || Object.values(counts).every((count) => count.seen === 0)) return [];
  const lines = ["", "## Verification", "", "Each episode's final world state compared with the one its task's blueprint leaves (computed by executing the blueprint), and its final answer checked for the blueprint's answer facts.", "", "| verification | episodes judged | kept |", "| --- | ---: | ---: |"];
  for (const outcome of VerificationOutcomeSchema.options) if (outcome !== "unverified" || counts[outcome].seen > 0) lines.push(`| ${OUTCOME_LABELS[outcome]} | ${counts[outcome].seen} | ${counts[outcome].kept} |`);
  return lines;
}

/** The task shapes of the kept records. */
export function renderShapes(shapes: Record<string, number> | undefined): string[] {
  const entries = Object.entries(shapes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return [];
  return ["", "## Task shapes", "", `${entries.length} shape(s) among the kept records.`, "", "| shape | records |", "| --- | ---: |", ...entries.map(([shape, count]) => `| ${shape} | ${count} |`)];
}

/** The tool audit (and the synthesis checks before it) and the gate before simulation. */
export function renderChecks(toolChecks: ToolCheckTally | undefined, taskGate: TaskGateTally | undefined): string[] {
  if (!toolChecks && !taskGate) return [];
  const lines = ["", "## Tool audit and task gate", ""];
  if (toolChecks) {
    const excluded = Object.values(toolChecks.excluded).reduce((sum, count) => sum + count, 0);
    const rejected = Object.values(toolChecks.rejected).reduce((sum, count) => sum + count, 0);
    lines.push(
      `Synthetic tools with a declared effect were exercised on a sample state before use (a valid call, the same call again, an unknown id, a broken precondition): ${toolChecks.audited} audited, ${toolChecks.audited - excluded} passed, ${excluded} excluded from agents${excluded ? ` (${describe(toolChecks.excluded)})` : ""}. Rejected at synthesis: ${rejected}${rejected ? ` (${describe(toolChecks.rejected)})` : ""}.`,
    );
  }
  if (taskGate) {
    lines.push(
      ...(toolChecks ? [""] : []),
      `Generated tasks passed the gate before simulation (the blueprint runs, hidden facts name existing records, writes change the state, look-ups have answer facts, refusals write nothing): ${taskGate.passed} of ${taskGate.checked} drafts passed, ${taskGate.regenerated} were written again, ${taskGate.dropped} dropped${Object.keys(taskGate.rejected).length ? `; refused drafts by reason: ${describe(taskGate.rejected)}` : ""}.`,
    );
  }
  return lines;
}

function describe(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `\`${key}\` ${count}`)
    .join(", ");
}
