import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolRecord } from "../../src/domain/tool.js";
import type { ToolSummary } from "../../src/domain/summaries.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { TAU_BENCH_FUNCTIONS } from "../helpers/test-data.js";

let host: TestHost;
beforeAll(async () => {
  host = await openTestHost();
});
afterAll(async () => host.close());

describe("import_tools of tau-bench's function specs (shared data)", () => {
  it("imports all 28 specs, the per-domain repeats under new names, and a second import adds nothing", async () => {
    const first = structuredOf<{ imported: ToolSummary[]; skipped: unknown[] }>(await host.call("import_tools", { file: TAU_BENCH_FUNCTIONS.file }));
    expect(first.imported).toHaveLength(TAU_BENCH_FUNCTIONS.count);
    expect(first.skipped).toEqual([]);
    expect(first.imported.map((tool) => tool.name)).toEqual(expect.arrayContaining(["book_reservation", "get_user_details", "get_user_details_2", "think", "think_2"]));
    const byName = structuredOf<ToolRecord>(await host.call("get_tool", { tool: "cancel_reservation" }));
    expect(byName.origin).toMatchObject({ originalName: "cancel_reservation", format: "openai-functions", file: TAU_BENCH_FUNCTIONS.file });

    const again = await host.call("import_tools", { file: TAU_BENCH_FUNCTIONS.file });
    const second = structuredOf<{ imported: ToolSummary[]; skipped: Array<{ reason: string }> }>(again);
    expect(second.imported).toHaveLength(0);
    expect(second.skipped).toHaveLength(TAU_BENCH_FUNCTIONS.count);
    expect(textOf(again)).toContain("imported 0 tool(s)");
  });
});
