import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { Template } from "@huggingface/jinja";
import type { ExportFormat } from "../domain/config.js";
import { InputError } from "../errors/input-error.js";
import { throwIfAborted } from "../support/concurrency.js";
import { toTemplateInput } from "./template-input.js";
import { errorCode } from "../errors/describe-error.js";

export interface TemplateCheck {
  template: string;
  rendered: number;
  failed: number;
  /** The first record that failed, and why. */
  firstError?: { file: string; line: number; message: string } | undefined;
}

/** The chat templates of a folder, parsed (a template that does not parse fails every record). */
export interface ChatTemplate {
  name: string;
  template?: Template | undefined;
  parseError?: string | undefined;
}

/**
 * Render every record of the JSONL files through every chat template (`*.jinja`) in a folder with
 * @huggingface/jinja, as `apply_chat_template` would (`messages`, `tools`, no generation prompt). Reads the
 * files line by line, so memory does not grow with the export. A record fails a template when rendering
 * throws or yields nothing; a template that does not parse fails every record.
 */
export async function checkTemplates(options: {
  files: readonly string[];
  /** A folder of `*.jinja` templates, or templates loaded already (so a missing folder fails before anything is written). */
  templates: string | readonly ChatTemplate[];
  format: ExportFormat;
  signal?: AbortSignal | undefined;
}): Promise<TemplateCheck[]> {
  const chats = typeof options.templates === "string" ? await loadChatTemplates(options.templates) : options.templates;
  const templates = chats.map((chat) => {
    const check: TemplateCheck = { template: chat.name, rendered: 0, failed: 0 };
    return { ...chat, check };
  });
  for (const file of options.files) {
    let line = 0;
    for await (const text of createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY })) {
      line++;
      if (text.trim() === "") continue;
      throwIfAborted(options.signal);
      let input: ReturnType<typeof toTemplateInput> | undefined;
      let inputError: string | undefined;
      try {
        input = toTemplateInput(options.format, JSON.parse(text));
      } catch (error) {
        inputError = `not a ${options.format} record: ${(error as Error).message}`;
      }
      for (const loaded of templates) {
        const problem = inputError ?? loaded.parseError ?? renderProblem(loaded.template, input);
        if (problem === undefined) loaded.check.rendered++;
        else {
          loaded.check.failed++;
          loaded.check.firstError ??= { file: basename(file), line, message: problem };
        }
      }
    }
  }
  return templates.map((loaded) => loaded.check);
}

/** The `*.jinja` templates of a folder, in name order; a folder that cannot be read or holds none is bad input. */
export async function loadChatTemplates(directory: string): Promise<ChatTemplate[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith(".jinja")).sort();
  } catch (error) {
    throw new InputError(`--check-templates: cannot read the folder ${directory} (${errorCode(error) ?? (error as Error).message})`);
  }
  if (names.length === 0) throw new InputError(`--check-templates: ${directory} holds no *.jinja chat template`);
  return Promise.all(
    names.map(async (name): Promise<ChatTemplate> => {
      try {
        return { name, template: new Template(await readFile(join(directory, name), "utf8")) };
      } catch (error) {
        return { name, parseError: `the template does not parse: ${(error as Error).message}` };
      }
    }),
  );
}

function renderProblem(template: Template | undefined, input: ReturnType<typeof toTemplateInput> | undefined): string | undefined {
  if (!template || !input) return "nothing to render";
  try {
    const text = template.render({ messages: input.messages, tools: input.tools, add_generation_prompt: false, bos_token: "", eos_token: "" });
    return text.trim() === "" ? "rendered to an empty string" : undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
