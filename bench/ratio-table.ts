/** One measured ratio and its target. */
export interface RatioResult {
  name: string;
  /** What was compared, with the figures: "100k 1.9 ms / 1k 1.2 ms". */
  measured: string;
  ratio: number;
  /** The ratio must stay at or under this. */
  limit: number;
  /** Why there is no ratio (missing data), instead of a PASS or FAIL. */
  skipped?: string | undefined;
}

/** The ratios as a table with PASS or FAIL against each target. */
export function formatRatioTable(results: readonly RatioResult[]): string {
  const rows = results.map((result) => [
    result.name,
    result.skipped ? "—" : `${result.ratio.toFixed(2)}×`,
    `≤ ${result.limit}×`,
    result.skipped ? "SKIPPED" : result.ratio <= result.limit ? "PASS" : "FAIL",
    result.skipped ?? result.measured,
  ]);
  const header = ["benchmark", "ratio", "target", "result", "measured"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function milliseconds(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(2)} ms`;
}
