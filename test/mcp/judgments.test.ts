import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { VerdictView } from "../../src/domain/judgment.js";
import { openTestHost, structuredOf, textOf, type TestHost } from "../helpers/mcp-client.js";

let host: TestHost;
let episodeId: string;
let unjudgedId: string;
beforeAll(async () => {
  host = await openTestHost();
  await host.workspace.runPipeline({});
  const [episode] = await host.workspace.store.episodes.find(() => true);
  episodeId = episode?.id as string;
  const simulated = structuredOf<{ episodeIds: string[] }>(await host.call("simulate", { taskIds: [episode?.taskId as string] }));
  unjudgedId = simulated.episodeIds[0] as string;
});
afterAll(async () => host.close());

describe("verdicts a host can read", () => {
  it("get_judgment gives each criterion's score and rationale and the default rules' outcomes, by episode or by id", async () => {
    const view = structuredOf<VerdictView & { episodeId: string }>(await host.call("get_judgment", { episodeId }));
    const byEpisode = await host.workspace.getJudgment({ judgmentId: view.judgmentId });
    expect(view).toMatchObject({ episodeId, verdict: byEpisode.verdict, score: byEpisode.score, reasons: byEpisode.reasons, criteria: byEpisode.criteria });
    expect(byEpisode.episodeId).toBe(episodeId);
    expect(byEpisode.criteria.length).toBeGreaterThan(0);
    for (const criterion of byEpisode.criteria) expect(criterion.rationale.length).toBeGreaterThan(0);
    expect(byEpisode.ruleChecks.map((check) => check.id)).toEqual(expect.arrayContaining(["grounded_claims", "no_success_after_failure", "privacy"]));
    expect(byEpisode.committee?.members[0]?.claims?.every((claim) => typeof claim.supported === "boolean")).toBe(true);
    const byId = await host.call("get_judgment", { judgmentId: byEpisode.id });
    expect(structuredOf(byId)).toEqual(view);
    const text = textOf(byId);
    expect(text).toContain(`verdict ${byEpisode.verdict}`);
    const first = byEpisode.criteria[0];
    expect(text).toContain(`${first?.criterionId} (${first?.kind}`);
    expect(text).toContain(first?.rationale.slice(0, 40));
  });

  it("reads the judgment as the resource agentsynth://judgments/{id}, listed and completed", async () => {
    const judgment = await host.workspace.getJudgment({ episodeId });
    const uri = `agentsynth://judgments/${judgment.id}`;
    const { contents } = await host.client.readResource({ uri });
    const [first] = contents;
    expect(JSON.parse(first && "text" in first ? first.text : "null")).toEqual(judgment);
    expect((await host.client.listResources()).resources.map((resource) => resource.uri)).toContain(uri);
    const completion = await host.client.complete({ ref: { type: "ref/resource", uri: "agentsynth://judgments/{id}" }, argument: { name: "id", value: judgment.id.slice(0, 4) } });
    expect(completion.completion.values).toContain(judgment.id);
  });

  it("get_episode carries the verdict of a judged episode and none of an unjudged one", async () => {
    const judged = structuredOf<{ id: string; judgment?: VerdictView }>(await host.call("get_episode", { episodeId }));
    const judgment = await host.workspace.getJudgment({ episodeId });
    expect(judged.judgment).toMatchObject({ judgmentId: judgment.id, verdict: judgment.verdict, score: judgment.score, reasons: judgment.reasons, criteria: judgment.criteria });
    const unjudged = await host.call("get_episode", { episodeId: unjudgedId });
    expect(structuredOf<{ judgment?: unknown }>(unjudged).judgment).toBeUndefined();
    expect(textOf(unjudged)).toContain("not judged yet");
  });

  it("review_episode quotes the verdict, its rationales and the judgment's resource", async () => {
    const judgment = await host.workspace.getJudgment({ episodeId });
    const result = await host.client.getPrompt({ name: "review_episode", arguments: { episodeId } });
    const [first] = result.messages;
    const text = first?.content.type === "text" ? first.content.text : "";
    expect(text).toContain(`agentsynth://judgments/${judgment.id}`);
    expect(text).toContain(judgment.criteria[0]?.rationale.slice(0, 40));
    const pending = await host.client.getPrompt({ name: "review_episode", arguments: { episodeId: unjudgedId } });
    expect(pending.messages[0]?.content.type === "text" ? pending.messages[0].content.text : "").toContain("not been judged yet");
  });

  it("says clearly what is wrong with a bad request", async () => {
    const neither = await host.call("get_judgment", {});
    expect(neither.isError).toBe(true);
    expect(textOf(neither)).toContain("either judgmentId or episodeId");
    const unjudged = await host.call("get_judgment", { episodeId: unjudgedId });
    expect(unjudged.isError).toBe(true);
    expect(textOf(unjudged)).toContain(unjudgedId);
    const missing = await host.call("get_judgment", { judgmentId: "jdg_nope" });
    expect(textOf(missing)).toMatch(/NOT_FOUND.*jdg_nope/s);
    await expect(host.client.readResource({ uri: "agentsynth://judgments/jdg_nope" })).rejects.toThrow(/jdg_nope/);
  });
});
