import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../errors/input-error.js";
import { parseDomainSpec } from "../../pipeline/authoring.js";
import { summarizeDomain } from "../../pipeline/summaries.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { printResult } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth domains create FILE`: the workspace's createDomain, as MCP create_domain. */
export const domainsCreateCommand: CliCommand = {
  name: "domains create",
  positionals: { usage: "FILE", min: 1, max: 1 },
  flags: { json: JSON_FLAG },
  description:
    "Add a domain of your own, outside the taxonomy, from a JSON file: category, name, title, description, organization and\n" +
    "entities (name, plural, idPrefix, description, fields); then `tools synthesize --domain ID` grows its tools.",
  async run(args, io) {
    const file = resolve(args.positionals[0] as string);
    // Checked before the store is opened: a bad file writes nothing.
    const spec = inFile(file, () => parseDomainSpec(readJsonFile(file)));
    return withWorkspace(args, io, async (workspace) => {
      const domain = await workspace.createDomain(spec);
      printResult(io, args.boolean("json"), domain, () => {
        const summary = summarizeDomain(domain);
        return `created domain ${summary.id} ${summary.name}: ${summary.title} (${summary.category}) with ${domain.entities.length} entities`;
      });
      return 0;
    });
  },
};

function inFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw error instanceof InputError ? new InputError(`${file}: ${error.message}`) : error;
  }
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`);
  }
}
