import type { PipelineConfigInput } from "../../src/domain/config.js";
import { startFakeOpenAIServer, type FakeOpenAIServer } from "./fake-openai-server.js";
import { answerPipelineRequest } from "./fake-pipeline-endpoint.js";

/** Settings of a remote role on a fake endpoint (a key it accepts), with `extra` over them. */
export function fakeRemoteRole(baseUrl: string, extra: Record<string, unknown> = {}) {
  return { provider: "openai" as const, model: "fake-model", baseUrl, apiKey: "sk-fake-key-000000", ...extra };
}

/**
 * A small run with the generator offline and the agent, both simulators and the judge on a fake endpoint (see
 * answerPipelineRequest): 3 domains of 4 synthetic tools, 3 agents, 12 tasks, episodes of at most 3 turns, a filter
 * that keeps every completed episode. `overrides` replace whole sections; `role` adds settings to the remote roles.
 */
export function remotePipelineConfig(baseUrl: string, overrides: Partial<PipelineConfigInput> = {}, role: Record<string, unknown> = {}): PipelineConfigInput {
  const remote = fakeRemoteRole(baseUrl, role);
  return {
    name: "remote-test",
    seed: 5,
    models: { default: { provider: "offline", model: "offline" }, agent: remote, userSimulator: remote, toolSimulator: remote, judge: remote, prices: { "fake-model": { input: 0.5, output: 2 } } },
    domains: { count: 3 },
    tools: { perDomain: 4, sources: ["synthetic"] },
    agents: { count: 3, minTools: 2, maxTools: 4 },
    tasks: { count: 12 },
    simulation: { concurrency: 4, maxTurns: 3 },
    filter: { requirePass: false, minScore: 0 },
    ...overrides,
  };
}

/** A fake endpoint that answers every remote role of a run (answerPipelineRequest), closed by `cleanups`. */
export async function startPipelineEndpoint(cleanups: Array<() => Promise<unknown>>): Promise<FakeOpenAIServer> {
  const server = await startFakeOpenAIServer({ handler: (request) => answerPipelineRequest(request) });
  cleanups.push(() => server.close());
  return server;
}
