import { basename } from "node:path";
import type { ExportFormat } from "../domain/config.js";
import type { CurationSummary } from "../domain/curation.js";
import { describeFormat } from "./export-record.js";

/** What the card of a curation says beyond its summary: the checks that ran. */
export interface CurationCardInput {
  summary: CurationSummary;
  /** The format the lines were read as. */
  format: ExportFormat;
  /** The rubric's criteria: `id: description`, rules and (when the LLM judge ran) llm ones. */
  criteria: string[];
  /** The filter settings, as a line each. */
  filter: string[];
  judgeModel?: string | undefined;
}

/**
 * The dataset card (README.md) of a curated dataset: where it came from (the file's name only, never a path of
 * the machine), what was checked, how many lines were kept and rejected and why, and the first bad lines.
 */
export function renderCurationCard(input: CurationCardInput): string {
  const { summary } = input;
  const reasons = Object.entries(summary.rejectionCounts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const lines = [
    `# Curated: ${basename(summary.source)}`,
    "",
    `Records of \`${basename(summary.source)}\`, a dataset made elsewhere, checked and filtered by agentsynth \`curate\`.`,
    "",
    "## Files",
    `- \`kept.jsonl\`: ${summary.kept} record(s) that passed, each line as it was in the source`,
    `- \`rejected.jsonl\`: ${summary.rejected} line(s), each \`{source_line, reasons, details, record}\` (\`source_line\` is 1-based)`,
    `- Format read: ${describeFormat(input.format)}`,
    "",
    "## Counts",
    "| | lines |",
    "| --- | ---: |",
    `| read (non-blank) | ${summary.lines} |`,
    `| kept | ${summary.kept} |`,
    `| rejected | ${summary.rejected} |`,
    `| of which bad lines (no conversation) | ${summary.badLines} |`,
    "",
    "## Checks",
    "- Format checks: every called tool is declared, arguments are JSON that the tool's schema accepts, call ids are unique, every call is answered, the conversation ends with an assistant answer.",
    ...input.criteria.map((criterion) => `- ${criterion}`),
    `- LLM judge: ${summary.llmJudge ? `yes (${input.judgeModel ?? "the judge model"}), a generic rubric` : "no (no judge model configured: the judge role is the offline engine); rule checks only"}`,
    ...input.filter.map((setting) => `- Filter: ${setting}`),
    "",
    "## Rejection reasons",
    ...(reasons.length ? ["| reason | lines |", "| --- | ---: |", ...reasons.map(([reason, count]) => `| \`${reason}\` | ${count} |`)] : ["None."]),
  ];
  if (summary.firstBadLines.length) {
    lines.push("", "## Bad lines", ...summary.firstBadLines.map((bad) => `- line ${bad.line}: \`${bad.reason}\` — ${bad.detail}`));
    if (summary.badLines > summary.firstBadLines.length) lines.push(`- … and ${summary.badLines - summary.firstBadLines.length} more (all in rejected.jsonl)`);
  }
  return `${lines.join("\n")}\n`;
}
