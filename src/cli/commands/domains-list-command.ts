import type { DomainSummary } from "../../domain/summaries.js";
import { summarizeDomain } from "../../pipeline/summaries.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG } from "../common-flags.js";
import { printResult } from "../output.js";
import { withWorkspace } from "./with-workspace.js";

/** `agentsynth domains list`: the stored domains. */
export const domainsListCommand: CliCommand = {
  name: "domains list",
  flags: { json: JSON_FLAG },
  description: "List the stored domains: id, name, title, category (--json: the whole records, entities included).",
  async run(args, io) {
    return withWorkspace(
      args,
      io,
      async (workspace) => {
        const domains = await workspace.listDomains();
        printResult(io, args.boolean("json"), domains, () => (domains.length ? `${renderDomains(domains.map(summarizeDomain))}\n${domains.length} domains` : "no domains"));
        return 0;
      },
      { requireStore: true },
    );
  },
};

export function renderDomains(domains: readonly DomainSummary[]): string {
  return domains.map((domain) => `  ${domain.id} ${domain.name}: ${domain.title} (${domain.category}${domain.parent ? `, from ${domain.parent}` : ""})`).join("\n");
}
