import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";

export const SHARED_TEMPLATES = join(import.meta.dirname, "..", "..", "..", "shared", "data", "templates");

/** Render a record through every chat template in a folder; returns the errors by template. */
export function renderThroughTemplates(directory: string, record: { messages: unknown[]; tools: unknown[] }): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const file of readdirSync(directory).filter((name) => name.endsWith(".jinja"))) {
    try {
      const template = new Template(readFileSync(join(directory, file), "utf8"));
      const text = template.render({ messages: record.messages, tools: record.tools, add_generation_prompt: false, bos_token: "", eos_token: "" });
      out[file] = text.length > 0 ? undefined : "rendered to an empty string";
    } catch (error) {
      out[file] = (error as Error).message;
    }
  }
  return out;
}
