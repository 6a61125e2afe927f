import { describe, expect, it } from "vitest";
import { toHfRecord } from "../../src/export/hf-format.js";
import { toOpenAIRecord } from "../../src/export/openai-format.js";
import { toShareGptRecord } from "../../src/export/sharegpt-format.js";
import { toTemplateInput } from "../../src/export/template-input.js";
import { makeEpisode, ORDER_CONVERSATION, ORDER_TOOLS } from "../helpers/records.js";
import { expectEveryTemplateRenders, renderTemplate } from "../helpers/render-templates.js";
import { SHARED_TEMPLATES } from "../helpers/test-data.js";

const episode = makeEpisode(ORDER_CONVERSATION);
const all = { includeSystemPrompt: true, includeReasoning: true, kimiToolCallIds: false };
const render = (templateFile: string, input: { messages: unknown[]; tools: unknown[] }): string => renderTemplate(SHARED_TEMPLATES, templateFile, input);

describe("every format through the official chat templates (shared data)", () => {
  it("openai records render through every official template", () => {
    expectEveryTemplateRenders(SHARED_TEMPLATES, toOpenAIRecord(episode, ORDER_TOOLS, all));
  });

  it("Kimi-style tool-call ids survive the Kimi-K2 chat template, in the openai and the hf format", () => {
    const text = render("kimi-k2-thinking.jinja", toOpenAIRecord(episode, ORDER_TOOLS, { includeSystemPrompt: true, kimiToolCallIds: true }));
    expect(text).toContain("<|tool_call_begin|>functions.get_order:0<|tool_call_argument_begin|>");
    expect(text).toContain("<|tool_call_begin|>functions.get_order:1<|tool_call_argument_begin|>");
    expect(text).toContain("## Return of functions.cancel_order:2");
    const hf = render("kimi-k2-thinking.jinja", toHfRecord(episode, ORDER_TOOLS, { includeSystemPrompt: true, kimiToolCallIds: true }));
    expect(hf).toContain("functions.get_order:0");
    expect(hf).toContain("## Return of functions.get_order:1");
  });

  it("hf records render through every official template, arguments as objects", () => {
    const record = toHfRecord(episode, ORDER_TOOLS, all);
    expectEveryTemplateRenders(SHARED_TEMPLATES, record);
    expect(render("qwen2.5-7b-instruct.jinja", record)).toContain('{"name": "get_order", "arguments": {"order_id": "ORD-1001"}}');
  });

  it("sharegpt records read back into input that renders through every official template", () => {
    expectEveryTemplateRenders(SHARED_TEMPLATES, toTemplateInput("sharegpt", JSON.parse(JSON.stringify(toShareGptRecord(episode, ORDER_TOOLS, all)))));
  });
});
