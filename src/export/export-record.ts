import type { ExportFormat } from "../domain/config.js";
import type { EpisodeRecord } from "../domain/episode.js";
import type { ToolSpec } from "../domain/tool.js";
import type { ExportRecordOptions } from "./conversation.js";
import { toHfRecord } from "./hf-format.js";
import { toOpenAIRecord } from "./openai-format.js";
import { toShareGptRecord } from "./sharegpt-format.js";

/** An episode as one record of the format. */
export function toExportRecord(format: ExportFormat, episode: EpisodeRecord, tools: readonly ToolSpec[], options: ExportRecordOptions): object {
  switch (format) {
    case "openai":
      return toOpenAIRecord(episode, tools, options);
    case "hf":
      return toHfRecord(episode, tools, options);
    case "sharegpt":
      return toShareGptRecord(episode, tools, options);
  }
}

/** What a format's JSONL line holds, for the dataset card. */
export function describeFormat(format: ExportFormat): string {
  switch (format) {
    case "openai":
      return "OpenAI chat fine-tuning JSONL: one JSON object a line with `messages`, `tools`, `parallel_tool_calls`; tool-call `arguments` are JSON strings";
    case "hf":
      return "Hugging Face chat JSONL: one row a line with a `messages` and a `tools` column, as `tokenizer.apply_chat_template(messages, tools=tools)` takes them; tool-call `arguments` are objects";
    case "sharegpt":
      return "ShareGPT JSONL (LLaMA-Factory's tool-use convention): `conversations` of `{from, value}` turns (`system`, `human`, `gpt`, `function_call`, `observation`) and `tools` as a JSON string";
  }
}
