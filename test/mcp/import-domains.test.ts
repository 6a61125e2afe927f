import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ImportToolsResult } from "../../src/pipeline/import-tools.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import { snapshotDirectory } from "../helpers/store-snapshot.js";

const WEATHER_TOOLS = join(REPO_ROOT, "test", "fixtures", "tools", "weather-tools.json");
const lookup = { name: "lookup_record", description: "Look a record up by id.", parameters: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } };

let host: TestHost;
beforeEach(async () => {
  host = await openTestHost();
});
afterEach(async () => host.close());

describe("import_tools puts every tool in a domain", () => {
  it("without a domain, a plain function list goes into a new domain named after its file, and agents can be built from it", async () => {
    const result = await host.call("import_tools", { file: WEATHER_TOOLS });
    const imported = structuredOf<ImportToolsResult>(result);
    expect(imported.domain).toMatchObject({ name: "weather_tools", category: "Imported tools", created: true });
    expect(imported.domains.map((domain) => domain.name)).toEqual(["weather_tools"]);
    expect(imported.imported.every((tool) => tool.domainId === imported.domain?.id)).toBe(true);
    expect(textOf(result)).toMatch(/^imported 5 tool\(s\) into domain weather_tools \(dom_\d+, new\)/);
    const agents = structuredOf<{ agents: Array<{ toolIds: string[] }> }>(await host.call("generate_agents", { count: 1, domainIds: [imported.domain?.id] }));
    expect(agents.agents[0]?.toolIds.length).toBeGreaterThan(0);
  });

  it("inline specs without a domain go into imported_tools; a new domain name creates that domain, and the same name finds it again", async () => {
    const inline = structuredOf<ImportToolsResult>(await host.call("import_tools", { specs: [lookup] }));
    expect(inline.domain).toMatchObject({ name: "imported_tools", created: true });

    const first = structuredOf<ImportToolsResult>(await host.call("import_tools", { specs: [{ ...lookup, name: "find_customer" }], domain: "Customer Records" }));
    expect(first.domain).toMatchObject({ name: "customer_records", title: "Customer Records", created: true });
    const second = structuredOf<ImportToolsResult>(await host.call("import_tools", { specs: [{ ...lookup, name: "update_customer" }], domain: "customer_records" }));
    expect(second.domain).toMatchObject({ id: first.domain?.id, created: false });
    expect(second.domains).toEqual([]);
    const byId = structuredOf<ImportToolsResult>(await host.call("import_tools", { specs: [{ ...lookup, name: "delete_customer" }], domain: first.domain?.id }));
    expect(byId.domain).toMatchObject({ id: first.domain?.id, created: false });
    expect((await host.workspace.listDomains()).map((domain) => domain.name)).toEqual(["imported_tools", "customer_records"]);
  });

  it("a domain of the taxonomy is joined by its name, not duplicated", async () => {
    const [evolved] = structuredOf<{ domains: Array<{ id: string; name: string }> }>(await host.call("evolve_domains", { count: 1 })).domains;
    const result = structuredOf<ImportToolsResult>(await host.call("import_tools", { specs: [lookup], domain: evolved?.name }));
    expect(result.domain).toMatchObject({ id: evolved?.id, created: false });
    expect(await host.workspace.listDomains()).toHaveLength(1);
  });

  it("importing the same specs again makes no domain", async () => {
    await host.call("import_tools", { file: WEATHER_TOOLS, domain: "forecasts" });
    const again = structuredOf<ImportToolsResult>(await host.call("import_tools", { file: WEATHER_TOOLS, domain: "other_forecasts" }));
    expect(again.imported).toEqual([]);
    expect(again.domain).toBeUndefined();
    expect((await host.workspace.listDomains()).map((domain) => domain.name)).toEqual(["forecasts"]);
  });

  it("a domain id that is not in the store is NOT_FOUND, and nothing is stored", async () => {
    const before = await snapshotDirectory(host.workspace.dataDir);
    const result = await host.call("import_tools", { file: WEATHER_TOOLS, domain: "dom_404" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/NOT_FOUND: no domain with id "dom_404"/);
    expect(await snapshotDirectory(host.workspace.dataDir)).toEqual(before);
  });
});
