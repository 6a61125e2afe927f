import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError } from "../errors/input-error.js";
import { NotFoundError } from "../errors/not-found-error.js";
import { buildImportedTools, parseToolSpecs, type SkippedTool } from "../registry/import-tools.js";
import type { WorkspaceContext } from "./workspace-context.js";
import { summarizeTool, type ToolSummary } from "./summaries.js";

export interface ImportToolsInput {
  /** A JSON file of tool specs (relative paths resolve from the working directory). */
  file?: string | undefined;
  /** The specs themselves, instead of a file. */
  specs?: unknown;
  /** Put the imported tools in this domain (so agents can be generated from them). */
  domainId?: string | undefined;
}

export interface ImportToolsResult {
  imported: ToolSummary[];
  skipped: SkippedTool[];
}

/** Import OpenAI function specs or MCP `tools/list` results into the registry, from a file or inline. */
export async function importTools(context: WorkspaceContext, input: ImportToolsInput): Promise<ImportToolsResult> {
  if ((input.file === undefined) === (input.specs === undefined)) throw new InputError("give either file (a path to a JSON file of tool specs) or specs (the specs themselves), not both and not neither");
  if (input.domainId !== undefined && !(await context.store.domains.get(input.domainId))) throw new NotFoundError("domain", input.domainId);
  const file = input.file === undefined ? undefined : resolve(input.file);
  const document = file === undefined ? input.specs : await readJsonFile(file);
  const parsed = parseToolSpecs(document);
  const built = buildImportedTools(parsed.specs, { existing: await context.store.tools.all(), ids: context.ids, clock: context.clock, file, domainId: input.domainId });
  await context.store.tools.putMany(built.tools);
  return { imported: built.tools.map(summarizeTool), skipped: [...parsed.skipped, ...built.skipped] };
}

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the tool specs file ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}); give the path of an existing JSON file`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InputError(`the tool specs file ${file} is not valid JSON`);
  }
}
