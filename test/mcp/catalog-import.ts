import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportToolsResult } from "../../src/pipeline/import-tools.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";
import type { ServerCatalog } from "../helpers/test-data.js";

/** `import_tools` of a server catalog in the Toucan shape: one domain per category, what it skipped, and nothing new the second time. */
export function describeCatalogImportTool(catalog: ServerCatalog): void {
  describe(`import_tools of the server catalog ${basename(catalog.file)}`, () => {
    let host: TestHost;
    beforeAll(async () => {
      host = await openTestHost();
    });
    afterAll(async () => host.close());

    it("imports the catalog with one domain per category and reports what it skipped", async () => {
      const result = structuredOf<ImportToolsResult>(await host.call("import_tools", { file: catalog.file }));
      expect(result.imported).toHaveLength(catalog.imported);
      expect(result.domains).toHaveLength(catalog.categories);
      expect(result.skipped).toHaveLength(catalog.skipped);
      expect(result.skipped.filter((entry) => entry.reason.includes("does not compile"))).toHaveLength(catalog.uncompilable);
      const domainIds = new Set(result.domains.map((domain) => domain.id));
      expect(result.imported.every((tool) => tool.source === "imported" && tool.domainId !== undefined && domainIds.has(tool.domainId))).toBe(true);
      expect(textOf(await host.call("import_tools", { file: catalog.file }))).toMatch(/^imported 0 tool\(s\)/);
    });
  });
}
