import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportLocationSchema, ReportSummarySchema } from "../../src/domain/report.js";
import { openTestHost, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost;
let datasetId: string;
beforeAll(async () => {
  host = await openTestHost();
  datasetId = (await host.workspace.runPipeline({})).datasetId;
});
afterAll(async () => host.close());

async function readReportResource() {
  const { contents } = await host.client.readResource({ uri: "agentsynth://report" });
  const [first] = contents;
  return ReportLocationSchema.parse(JSON.parse(first && "text" in first ? first.text : "null"));
}

describe("write_report and agentsynth://report", () => {
  it("the resource says where the newest dataset's report goes and that it is not written yet; write_report writes it there, with progress", async () => {
    const before = await readReportResource();
    expect(before).toMatchObject({ datasetId, written: false });
    expect(before.howToWrite).toContain("write_report");
    const progress: Progress[] = [];
    const result = await host.call("write_report", {}, { onprogress: (update) => progress.push(update) });
    expect(result.isError).toBeFalsy();
    const report = ReportSummarySchema.parse(result.structuredContent);
    expect(report.indexPath).toBe(before.indexPath);
    expect(existsSync(report.indexPath)).toBe(true);
    expect(result.content).toEqual([{ type: "text", text: expect.stringContaining(report.fileUrl) }]);
    expect(progress.at(-1)).toMatchObject({ progress: report.episodes, total: report.episodes });
    expect(await readReportResource()).toMatchObject({ datasetId, written: true, fileUrl: report.fileUrl });
  });

  it("an unknown dataset or an output folder outside the export root is an error that says so; nothing is written", async () => {
    const unknown = await host.call("write_report", { datasetId: "ds_missing" });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain("ds_missing");
    const outside = await host.call("write_report", { out: "/tmp/elsewhere-agentsynth-report" });
    expect(outside.isError).toBe(true);
    expect(JSON.stringify(outside.content)).toMatch(/outside the allowed export root/);
    expect(existsSync("/tmp/elsewhere-agentsynth-report")).toBe(false);
  });

  it("an argument it does not know is named", async () => {
    const result = await host.call("write_report", { dataset: datasetId });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("datasetId");
  });
});
