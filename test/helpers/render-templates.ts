import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Template } from "@huggingface/jinja";
import { expect } from "vitest";

interface TemplateInput {
  messages: unknown[];
  tools: unknown[];
}

/** Render chat-template input as `apply_chat_template` would (no generation prompt). */
export function renderTemplate(directory: string, file: string, input: TemplateInput): string {
  return new Template(readFileSync(join(directory, file), "utf8")).render({ messages: input.messages, tools: input.tools, add_generation_prompt: false, bos_token: "", eos_token: "" });
}

/** Render a record through every chat template in a folder; returns the errors by template. */
export function renderThroughTemplates(directory: string, record: TemplateInput): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const file of readdirSync(directory).filter((name) => name.endsWith(".jinja"))) {
    try {
      out[file] = renderTemplate(directory, file, record).length > 0 ? undefined : "rendered to an empty string";
    } catch (error) {
      out[file] = (error as Error).message;
    }
  }
  return out;
}

/** Every template of the folder (at least two) renders the record. */
export function expectEveryTemplateRenders(directory: string, record: TemplateInput): void {
  const errors = renderThroughTemplates(directory, record);
  expect(Object.keys(errors).length).toBeGreaterThanOrEqual(2);
  expect(errors).toEqual(Object.fromEntries(Object.keys(errors).map((name) => [name, undefined])));
}
