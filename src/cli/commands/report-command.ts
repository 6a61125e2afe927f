import type { ReportSummary } from "../../domain/report.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { printResult, withProgress } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth report`: the workspace's writeReport (as MCP write_report), a self-contained HTML report that opens from file://. */
export const reportCommand: CliCommand = {
  name: "report",
  flags: {
    dataset: { type: "string", value: "ID", description: "the dataset (default: the newest; every stored episode when there is none)" },
    run: { type: "string", value: "ID", description: "instead of a dataset: the episodes a run simulated" },
    out: { type: "string", value: "DIR", description: "the report goes to DIR/<dataset name>/report/ (a run's to DIR/<run id>/report/; default ./out)" },
    json: JSON_FLAG,
  },
  description:
    "Write a browsable HTML report: overview, coverage and a trajectory browser with the judge's rationales. Open its\n" +
    "index.html from disk (no network needed), or see it at /report of `serve --http`.",
  run(args, io) {
    const input = { datasetId: args.string("dataset"), runId: args.string("run") };
    return withWorkspace(args, io, async (workspace) => {
      const result = await withProgress(io, "report", (options) => workspace.writeReport(input, options));
      printResult(io, args.boolean("json"), result, () => renderReport(result));
      return 0;
    }, { out: args.string("out"), requireStore: true });
  },
};

export function renderReport(result: ReportSummary): string {
  const what = result.scope.kind === "dataset" ? `dataset ${result.scope.datasetId} "${result.scope.datasetName}"` : result.scope.kind === "run" ? `run ${result.scope.runId}` : "every stored episode";
  return [
    `Report of ${what}: ${result.episodes} episode(s) (kept ${result.kept}, rejected ${result.rejected}, judged ${result.judged}), ${result.charts} chart(s), ${(result.bytes / 2 ** 20).toFixed(1)} MB`,
    `  open ${result.fileUrl}`,
  ].join("\n");
}
