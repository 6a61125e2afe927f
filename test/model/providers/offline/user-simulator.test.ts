import { describe, expect, it } from "vitest";
import type { HiddenFact, Persona } from "../../../../src/domain/task.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { renderScenario, type ScenarioParts } from "../../../../src/model/providers/offline/scenario-text.js";
import { UserTurnOutputSchema, type ConversationTurn, type UserTurnOutput } from "../../../../src/model/request-context.js";
import { ask } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 4 });
const base: ScenarioParts = {
  organization: "Northwind Outfitters",
  requests: ["have your order marked as shipped"],
  known: ["your order number", "the email address on your account"],
  unknown: ["the order's current status"],
  constraints: [],
};
const scenario = renderScenario(base);
const facts: HiddenFact[] = [
  { key: "order_id", value: "ORD-10442", description: "your order number" },
  { key: "customer_email", value: "ana.lima@example.com", description: "the email address you used" },
];
const personas: Persona[] = [
  { name: "Ana Lima", style: "brief and direct", expertise: "expert", language: "en", patience: "low" },
  { name: "Kenji Watanabe", style: "friendly and chatty", expertise: "novice", language: "en", patience: "high" },
  { name: "Olga Petrova", style: "formal and precise", expertise: "intermediate", language: "en", patience: "medium" },
  { name: "Mei Chen", style: "anxious and apologetic", expertise: "novice", language: "en", patience: "medium" },
];

interface TurnOptions {
  persona?: Persona;
  turn?: number;
  maxTurns?: number;
  scenario?: string;
  hiddenFacts?: HiddenFact[];
  seed?: number;
  stopRejected?: boolean;
}

function turn(conversation: ConversationTurn[], options: TurnOptions = {}): Promise<UserTurnOutput> {
  const context = {
    purpose: "user-turn" as const,
    scenario: options.scenario ?? scenario,
    persona: options.persona ?? (personas[0] as Persona),
    hiddenFacts: options.hiddenFacts ?? facts,
    conversation,
    turn: options.turn ?? conversation.filter((entry) => entry.speaker === "user").length,
    maxTurns: options.maxTurns ?? 8,
    ...(options.stopRejected ? { stopRejected: true } : {}),
  };
  return ask(model, "user-turn", UserTurnOutputSchema, context, options.seed);
}

const opening: ConversationTurn = { speaker: "user", text: "I'd like to have my order marked as shipped." };
const agent = (text: string): ConversationTurn => ({ speaker: "agent", text });
const user = (text: string): ConversationTurn => ({ speaker: "user", text });

describe("user simulator", () => {
  it("opens with its scenario's request in its own words (first person) and reveals no hidden fact", async () => {
    const openings = await Promise.all(personas.map((persona) => turn([], { persona })));
    for (const output of openings) {
      expect(output.stop).toBe(false);
      expect(output.message.toLowerCase()).toContain("have my order marked as shipped");
      expect(output.message).not.toMatch(/\byour order\b|What you know|Why you are contacting/);
      for (const fact of facts) expect(output.message).not.toContain(String(fact.value));
    }
    expect(new Set(openings.map((output) => output.message)).size).toBeGreaterThan(1);
  });

  it("states the condition its request comes with", async () => {
    const conditional = renderScenario({ ...base, requests: ["reschedule your booking to a different departure date"], condition: { when: "its fare paid is over 300", then: "cancel your booking" } });
    const output = await turn([], { scenario: conditional });
    expect(output.message).toMatch(/reschedule my booking to a different departure date\. But if its fare paid is over 300, please cancel my booking instead\./);
  });

  it("answers exactly the fact that is asked for, stated plainly, and says when it lacks a number", async () => {
    const idAnswer = await turn([opening, agent("Could you give me your order ID?")]);
    expect(idAnswer.stop).toBe(false);
    expect(idAnswer.message).toContain("ORD-10442");
    expect(idAnswer.message).not.toContain("ana.lima@example.com");
    const both = await turn([opening, agent("To go ahead I'll need your order number and the customer email. Could you share them?")]);
    expect(both.message).toContain("ORD-10442");
    expect(both.message).toContain("ana.lima@example.com");
    const emailOnly = facts.slice(1);
    const lacking = await turn([opening, agent("Could you give me your order ID and the customer email?")], { hiddenFacts: emailOnly });
    expect(lacking.message).toContain("ana.lima@example.com");
    expect(lacking.message).toMatch(/don't (have|know) the number|never wrote down the number/);
  });

  it("says yes to a confirmation question", async () => {
    const output = await turn([opening, agent("Could you give me your order ID?"), user("It's ORD-10442."), agent("Just to confirm: I'll change the status of order ORD-10442 from packed to shipped. Shall I go ahead?")]);
    expect(output.stop).toBe(false);
    expect(output.message).toMatch(/yes|confirm|go ahead|proceed|do it/i);
    expect(output.message).not.toContain("ORD-10442");
  });

  it("changes its mind when the scenario says so: at the confirmation, or right after giving its details", async () => {
    const atConfirm = renderScenario({ ...base, changeOfMind: { when: "confirm", request: "cancel your order" } });
    const confirmation = [opening, agent("Could you give me your order ID?"), user("It's ORD-10442."), agent("Just to confirm: I'll change the status of order ORD-10442 from packed to shipped. Shall I go ahead?")];
    const changed = await turn(confirmation, { scenario: atConfirm });
    expect(changed.stop).toBe(false);
    expect(changed.message).toMatch(/changed my mind|change of plan|second thought|scratch that|disregard|reflection/i);
    expect(changed.message).toContain("cancel my order");
    const again = await turn([...confirmation, user(changed.message), agent("Just to confirm: I'll cancel order ORD-10442. Shall I go ahead?")], { scenario: atConfirm, stopRejected: true });
    expect(again.message).toMatch(/yes|confirm|go ahead|proceed|do it|right/i);
    const atDetails = renderScenario({ ...base, changeOfMind: { when: "details", request: "cancel your order" } });
    const withDetails = await turn([opening, agent("Could you give me your order ID?")], { scenario: atDetails });
    expect(withDetails.message).toContain("ORD-10442");
    expect(withDetails.message).toContain("cancel my order");
  });

  it("tells which record it means when asked, from what it knows", async () => {
    const ambiguous = renderScenario({ ...base, disambiguate: "order" });
    const choice: HiddenFact = { key: "placed_on", value: "2026-02-20", description: "the placed on of the order you mean" };
    const output = await turn([opening, agent("I found 2 orders under that email: ORD-10442 (placed on 2026-02-20) and ORD-20871 (placed on 2026-02-25). Which one do you mean?")], { scenario: ambiguous, hiddenFacts: [...facts, choice] });
    expect(output.message).toContain("2026-02-20");
    expect(output.message).not.toContain("2026-02-25");
  });

  it("pushes back once on a refusal, then accepts it and leaves", async () => {
    const refusing = renderScenario({ ...base, pushBack: true });
    const refusal = "I'm sorry, but I can't change order ORD-10442: our rules allow it only while its status is pending, and this one is delivered. I haven't changed anything.";
    const pushed = await turn([opening, agent(refusal)], { scenario: refusing });
    expect(pushed.stop).toBe(false);
    expect(pushed.message).toMatch(/way around|exception/i);
    const accepted = await turn([opening, agent(refusal), user(pushed.message), agent("I'm sorry, I can't make an exception: the rule applies to every request. If you like, I can hand your case over to a human colleague.")], { scenario: refusing });
    expect(accepted.stop).toBe(true);
  });

  it("brings up its next request once the first is done, and leaves when everything is", async () => {
    const two = renderScenario({ ...base, requests: ["have your order marked as shipped", "know the status of your other order"] });
    const done = [opening, agent("Could you give me your order ID?"), user("It's ORD-10442."), agent("Done — order ORD-10442 is now shipped. Anything else I can do for you?")];
    const next = await turn(done, { scenario: two });
    expect(next.stop).toBe(false);
    expect(next.message).toContain("know the status of my other order");
    const finished = await turn([...done, user(next.message), agent("Order ORD-20871 is currently delivered.")], { scenario: two });
    expect(finished.stop).toBe(true);
  });

  it("now and then stops right after a confirmation request, but never once told that such a stop was rejected", async () => {
    const conversation: ConversationTurn[] = [opening, agent("Could you give me your order ID?"), user("It's ORD-10442."), agent("Just to confirm: I'll change the status of order ORD-10442 from packed to shipped. Shall I go ahead?")];
    const context = { purpose: "user-turn" as const, scenario, persona: personas[1] as Persona, hiddenFacts: facts, conversation, turn: 2, maxTurns: 8 };
    const replies = await Promise.all(Array.from({ length: 200 }, (_, seed) => ask(model, "user-turn", UserTurnOutputSchema, context, seed)));
    const stops = replies.filter((reply) => reply.stop).length;
    expect(stops).toBeGreaterThan(200 * 0.05);
    expect(stops).toBeLessThan(200 * 0.22);
    const resampled = await Promise.all(Array.from({ length: 60 }, (_, seed) => ask(model, "user-turn", UserTurnOutputSchema, { ...context, stopRejected: true }, seed)));
    for (const reply of resampled) expect(reply).toMatchObject({ stop: false, message: expect.stringMatching(/yes|confirm|go ahead|proceed|do it|right/i) });
  });

  it("goes on with follow-up requests about the records it heard of in a long session, and wraps up at its end", async () => {
    const done: ConversationTurn[] = [opening, agent("Could you give me your order ID?"), user("It's ORD-10442."), agent("Done — order ORD-10442 is now shipped. I also see order ORD-20871 on your account.")];
    const followUps = await Promise.all(Array.from({ length: 40 }, (_, seed) => turn(done, { persona: personas[seed % 4] as Persona, turn: 2, maxTurns: 60, seed })));
    for (const reply of followUps) expect(reply.stop).toBe(false);
    const texts = followUps.map((reply) => reply.message);
    expect(texts.some((text) => text.includes("ORD-10442"))).toBe(true);
    expect(texts.some((text) => /ORD-10442.*ORD-20871|ORD-20871.*ORD-10442/.test(text))).toBe(true);
    expect(new Set(texts).size).toBeGreaterThan(10);
    for (const text of texts) expect(text).not.toMatch(/\s{2}|[:—,]\S/);
    const closing = await turn(done, { turn: 58, maxTurns: 60 });
    expect(closing.stop).toBe(true);
  });

  it("admits not knowing what it was not told, and never invents it", async () => {
    const output = await turn([opening, agent("Could you tell me the tracking number of the parcel?")]);
    expect(output.stop).toBe(false);
    expect(output.message).toMatch(/don't|do not|no idea|not sure/i);
    expect(output.message).not.toMatch(/ORD-10442|ana\.lima/);
  });

  it("thanks and stops when the assistant reports the goal done", async () => {
    for (const text of ["Done — order ORD-10442 is now shipped.", "All set: order ORD-10442 now has status shipped. Is there anything else I can help you with?"]) {
      const output = await turn([opening, agent("Could you give me your order ID?"), user("It's ORD-10442."), agent(text)]);
      expect(output.stop).toBe(true);
    }
  });

  it("stops at the last allowed turn", async () => {
    const output = await turn([opening, agent("Could you give me your order ID?")], { persona: personas[1], turn: 7, maxTurns: 8 });
    expect(output.stop).toBe(true);
    expect(output.message.length).toBeGreaterThan(0);
  });

  it("gives up after not knowing twice", async () => {
    const output = await turn([opening, agent("Could you tell me the tracking number?"), user("I don't know the tracking number."), agent("Could you tell me the warehouse code then?")]);
    expect(output.stop).toBe(true);
  });

  it("plays a scenario written in other words: its first sentence is the request, said as it is", async () => {
    const output = await turn([], { scenario: "Please change the status of my order to shipped." });
    expect(output.message).toContain("Please change the status of my order to shipped.");
  });
});
