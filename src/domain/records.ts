import type { z } from "zod";
import { PipelineConfigSchema } from "./config.js";
import { DatasetRecordSchema } from "./dataset.js";
import { DomainRecordSchema, TaxonomySchema } from "./domain.js";
import { AgentRecordSchema } from "./agent.js";
import { EpisodeRecordSchema } from "./episode.js";
import { JudgmentRecordSchema } from "./judgment.js";
import { RubricSchema } from "./rubric.js";
import { RunRecordSchema } from "./run.js";
import { RecordingRecordSchema } from "./recording.js";
import { TaskRecordSchema } from "./task.js";
import { ToolRecordSchema, ToolServerRecordSchema } from "./tool.js";

/** Every shape that gets a `schemas/<name>.schema.json`. */
export const RECORD_SCHEMAS = {
  "tool-server": ToolServerRecordSchema,
  tool: ToolRecordSchema,
  domain: DomainRecordSchema,
  agent: AgentRecordSchema,
  task: TaskRecordSchema,
  rubric: RubricSchema,
  episode: EpisodeRecordSchema,
  recording: RecordingRecordSchema,
  judgment: JudgmentRecordSchema,
  dataset: DatasetRecordSchema,
  run: RunRecordSchema,
  "pipeline-config": PipelineConfigSchema,
  taxonomy: TaxonomySchema,
} as const satisfies Record<string, z.ZodType>;
