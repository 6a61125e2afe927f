import { basename } from "node:path";
import { SCHEMA_VERSION } from "../domain/common.js";
import type { ExportFormat } from "../domain/config.js";
import type { CurationBadLine } from "../domain/curation.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import { InputError } from "../errors/input-error.js";
import { readConversation } from "../export/read-conversation.js";
import type { StageEnv } from "../model/stage-env.js";
import { CURATION_LLM_CRITERIA, CURATION_RULES, toForeignRecords } from "./foreign-conversations.js";
import { openInputFile, readLines, type OpenInputFile } from "./input-files.js";
import type { OperationOptions } from "./operation-options.js";
import { chooseSeed, createRunModels, type WorkspaceContext } from "./workspace-context.js";

export interface ImportEpisodesInput {
  /** The JSONL file: one conversation a line. */
  file: string;
  /** The format its lines are in (default openai). */
  format?: ExportFormat | undefined;
}

export interface ImportEpisodesResult {
  source: string;
  /** Non-blank lines read. */
  lines: number;
  imported: number;
  /** The agent the episodes belong to (one per import: the file's tools, its first system prompt). */
  agentId: string;
  /** Tools the file declares (new ones are added to the registry as imported tools). */
  tools: number;
  newTools: number;
  badLines: number;
  firstBadLines: CurationBadLine[];
}

const LISTED_BAD_LINES = 20;
/** Tasks are written to their catalog this many at a time (a catalog write rewrites its file). */
const TASK_BATCH = 200;

/**
 * Bring the conversations of a JSONL file made elsewhere into the store as episodes, so judge, filter, export and
 * report work on them: a first pass over the file gathers the tools it declares (a file that declares none is
 * refused before anything is stored), which join the registry as imported tools under one agent of the import;
 * a second pass stores each conversation as a completed episode labelled `imported` with a task of its own (its
 * first user turn as the goal, the generic rubric `curate` uses). Lines that hold no conversation are reported
 * with their number and skipped. The file is read line by line, twice, never whole.
 */
export async function importEpisodes(context: WorkspaceContext, input: ImportEpisodesInput, options: OperationOptions): Promise<ImportEpisodesResult> {
  const format = input.format ?? "openai";
  const file = await openInputFile(input.file, "the episodes file", context.fileAccess);
  try {
    const { store } = context;
    const seed = chooseSeed(context, undefined, "import", await store.episodes.count());
    const env: StageEnv = { models: createRunModels(context, seed), ids: context.ids, clock: context.clock, seed, signal: options.signal, onWarning: context.onWarning };
    const name = basename(file.absolute);
    const survey = await surveyFile(file, format, env, name, options.signal);
    if (survey.tools.size === 0) throw new InputError(`${file.absolute} declares no tools in any conversation (${survey.lines} line(s)); agentsynth's episodes are tool-use conversations, so nothing was imported`);
    const stored = new Set((await store.tools.view()).records.map((tool) => tool.id));
    const newTools = [...survey.tools.values()].filter((tool) => !stored.has(tool.id));
    await store.tools.putMany(newTools);
    const agentId = context.ids.next("agt");
    await store.agents.put({
      id: agentId,
      kind: "agent",
      createdAt: context.clock.now().toISOString(),
      schemaVersion: SCHEMA_VERSION,
      provenance: { source: "import", models: {}, promptHashes: [], seed },
      name: `Imported: ${name}`.slice(0, 200),
      domainIds: [],
      systemPrompt: survey.systemPrompt ?? `The assistant of the conversations imported from ${name}.`,
      rules: [],
      toolIds: [...survey.tools.keys()],
      behavior: { confirmBeforeWrite: true, verbosity: "normal", parallelToolCalls: true },
    });

    const badLines: CurationBadLine[] = [];
    let badCount = 0;
    let imported = 0;
    let tasks: TaskRecord[] = [];
    try {
      for await (const line of readLines(file, options.signal)) {
        if (line.text.trim() === "") continue;
        const read = readConversation(format, line.text);
        if (!read.ok) {
          badCount++;
          if (badLines.length < LISTED_BAD_LINES) badLines.push({ line: line.number, reason: read.reason, detail: read.detail });
        } else {
          const records = toForeignRecords(read.conversation, env, { task: context.ids.next("tsk"), episode: context.ids.next("ep"), criteria: [...CURATION_RULES, ...CURATION_LLM_CRITERIA], agentId, file: name, portableNames: true });
          tasks.push(records.task);
          await store.episodes.append({ ...records.episode, provenance: { ...records.episode.provenance, source: `import:${name}:${line.number}` } });
          imported++;
          if (tasks.length >= TASK_BATCH) {
            await store.tasks.putMany(tasks);
            tasks = [];
          }
        }
        options.onProgress?.({ done: line.number, total: survey.totalLines, message: `imported ${imported}` });
      }
    } finally {
      // Every stored episode keeps its task, also when the import stops half way.
      if (tasks.length) await store.tasks.putMany(tasks);
    }
    return { source: file.absolute, lines: survey.lines, imported, agentId, tools: survey.tools.size, newTools: newTools.length, badLines: badCount, firstBadLines: badLines };
  } finally {
    await file.handle.close();
  }
}

/** The first pass: the tools the file declares (one record per distinct spec), its first system prompt, its lines. */
async function surveyFile(file: OpenInputFile, format: ExportFormat, env: StageEnv, name: string, signal: AbortSignal | undefined) {
  const tools = new Map<string, ToolRecord>();
  let systemPrompt: string | undefined;
  let lines = 0;
  let totalLines = 0;
  for await (const line of readLines(file, signal)) {
    totalLines = line.number;
    if (line.text.trim() === "") continue;
    lines++;
    const read = readConversation(format, line.text);
    if (!read.ok) continue;
    const system = read.conversation.messages.find((message) => message.role === "system")?.content.trim();
    if (systemPrompt === undefined && system) systemPrompt = system;
    for (const tool of toForeignRecords(read.conversation, env, { task: "tsk_survey", episode: "ep_survey", criteria: CURATION_RULES, file: name, portableNames: true }).tools) tools.set(tool.id, tool);
  }
  return { tools, systemPrompt, lines, totalLines };
}
