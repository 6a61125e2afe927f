import { FaultAttributionSchema } from "../../domain/episode.js";
import { InputError } from "../../errors/input-error.js";
import type { FilterInput } from "../../pipeline/quality.js";
import { renderCounts } from "../../pipeline/render-run-summary.js";
import type { CliCommand } from "../command.js";
import { JSON_FLAG, SELECTION_FLAGS } from "../common-flags.js";
import { parseChoices, parseInteger, parseList, parseRate, parseSwitchPair } from "../flags.js";
import { runStageCommand } from "../output.js";

/** `agentsynth filter`: the workspace's filter, as MCP filter; every setting not given is the config's filter section. */
export const filterCommand: CliCommand = {
  name: "filter",
  flags: {
    ...SELECTION_FLAGS,
    name: { type: "string", value: "NAME", description: "the dataset's name (its export folder)" },
    "min-score": { type: "string", value: "R", description: "the lowest judgment score kept (filter.minScore)" },
    "require-pass": { type: "boolean", description: "keep only pass verdicts (filter.requirePass)" },
    "no-require-pass": { type: "boolean", description: "keep failing verdicts that meet the other criteria" },
    dedupe: { type: "boolean", description: "drop exact and near (MinHash) duplicates (filter.dedupe)" },
    "no-dedupe": { type: "boolean", description: "keep duplicates" },
    "near-duplicate-threshold": { type: "string", value: "R", description: "the estimated similarity at which an episode is a near duplicate (filter.nearDuplicateThreshold)" },
    "required-criteria": { type: "string", value: "ID,…", description: "rubric criteria every kept episode must pass" },
    "exclude-attributions": { type: "string", value: "A,…", description: `drop episodes whose failure is attributed to these (${FaultAttributionSchema.options.join(", ")})` },
    "cap-per-task": { type: "string", value: "N", description: "at most N kept episodes per task (the best scores stay)" },
    "cap-per-agent": { type: "string", value: "N", description: "at most N kept episodes per agent" },
    "cap-per-domain": { type: "string", value: "N", description: "at most N kept episodes per domain" },
    "min-messages": { type: "string", value: "N", description: "length bounds: the fewest messages of a kept episode" },
    "max-messages": { type: "string", value: "N", description: "the most messages" },
    "min-tool-calls": { type: "string", value: "N", description: "the fewest tool calls" },
    "max-tool-calls": { type: "string", value: "N", description: "the most tool calls" },
    "min-success-rate": { type: "string", value: "R", description: "keep only tasks whose share of passing episodes is at least R" },
    "max-success-rate": { type: "string", value: "R", description: "… and at most R" },
    json: JSON_FLAG,
  },
  description:
    "Keep the judged episodes that meet the criteria as a dataset, with the reasons every other episode was rejected and each\n" +
    "task's success rate and pass^k; with neither --episode nor --run, every judged episode.",
  async run(args, io) {
    const integer = (flag: string, min: number): number | undefined => parseInteger(flag, args.string(flag), min);
    const input: FilterInput = {
      episodeIds: parseList("episode", args.string("episode")),
      runId: args.string("run"),
      name: args.string("name"),
      minScore: parseRate("min-score", args.string("min-score")),
      requirePass: parseSwitchPair("require-pass", args.boolean("require-pass"), args.boolean("no-require-pass")),
      dedupe: parseSwitchPair("dedupe", args.boolean("dedupe"), args.boolean("no-dedupe")),
      nearDuplicateThreshold: parseRate("near-duplicate-threshold", args.string("near-duplicate-threshold")),
      requiredCriteria: parseList("required-criteria", args.string("required-criteria")),
      excludeAttributions: parseChoices("exclude-attributions", args.string("exclude-attributions"), FaultAttributionSchema.options),
      caps: definedOrNothing({ perTask: integer("cap-per-task", 1), perAgent: integer("cap-per-agent", 1), perDomain: integer("cap-per-domain", 1) }),
      length: definedOrNothing({ minMessages: integer("min-messages", 0), maxMessages: integer("max-messages", 0), minToolCalls: integer("min-tool-calls", 0), maxToolCalls: integer("max-tool-calls", 0) }),
      successRate: successBand(parseRate("min-success-rate", args.string("min-success-rate")), parseRate("max-success-rate", args.string("max-success-rate"))),
    };
    return runStageCommand(
      args,
      io,
      "filter",
      (workspace, options) => workspace.filter(input, options),
      (result) => {
        const passHatK = Object.entries(result.passHatK).map(([k, value]) => `pass^${k} ${value}`).join(", ");
        return `dataset ${result.id} "${result.name}": kept ${result.kept}, rejected ${result.rejected}\n  rejection reasons: ${renderCounts(result.rejectionCounts)}${passHatK ? `\n  ${passHatK}` : ""}\n  export it with: agentsynth export --dataset ${result.id}`;
      },
    );
  },
};

/** The object with its undefined entries left out, or undefined when none is left (so the config's setting stays). */
function definedOrNothing<T extends Record<string, number | undefined>>(object: T): { [K in keyof T]?: number } | undefined {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined);
  return entries.length ? (Object.fromEntries(entries) as { [K in keyof T]?: number }) : undefined;
}

function successBand(min: number | undefined, max: number | undefined): FilterInput["successRate"] {
  if (min === undefined && max === undefined) return undefined;
  if (min !== undefined && max !== undefined && min > max) throw new InputError(`--min-success-rate (${min}) must not exceed --max-success-rate (${max})`);
  return { min: min ?? 0, max: max ?? 1 };
}
