import { describe, expect, it } from "vitest";
import type { HiddenFact, Persona } from "../../../../src/domain/task.js";
import { createOfflineModel } from "../../../../src/model/providers/offline/offline-model.js";
import { UserTurnOutputSchema, type ConversationTurn, type UserTurnOutput } from "../../../../src/model/request-context.js";
import { ask } from "./offline-fixtures.js";

const model = createOfflineModel({ seed: 4 });
const goal = "Please change the status of my order to shipped.";
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

function turn(conversation: ConversationTurn[], persona: Persona = personas[0] as Persona, turnIndex = conversation.filter((entry) => entry.speaker === "user").length, maxTurns = 8): Promise<UserTurnOutput> {
  return ask(model, "user-turn", UserTurnOutputSchema, { purpose: "user-turn", goal, persona, hiddenFacts: facts, conversation, turn: turnIndex, maxTurns });
}

const opening: ConversationTurn = { speaker: "user", text: goal };

describe("user simulator", () => {
  it("opens with the goal in the persona's voice and reveals no hidden fact", async () => {
    const openings = await Promise.all(personas.map((persona) => turn([], persona)));
    for (const output of openings) {
      expect(output.stop).toBe(false);
      expect(output.message.toLowerCase()).toContain("change the status of my order to shipped");
      for (const fact of facts) expect(output.message).not.toContain(String(fact.value));
    }
    expect(new Set(openings.map((output) => output.message)).size).toBeGreaterThan(1);
  });

  it("answers exactly the fact that is asked for, stated plainly", async () => {
    const idAnswer = await turn([opening, { speaker: "agent", text: "Could you give me your order ID?" }]);
    expect(idAnswer.stop).toBe(false);
    expect(idAnswer.message).toContain("ORD-10442");
    expect(idAnswer.message).not.toContain("ana.lima@example.com");
    const emailAnswer = await turn([opening, { speaker: "agent", text: "What's the customer email address on the order?" }]);
    expect(emailAnswer.message).toContain("ana.lima@example.com");
    expect(emailAnswer.message).not.toContain("ORD-10442");
    const both = await turn([opening, { speaker: "agent", text: "To go ahead I'll need your order number and the customer email. Could you share them?" }]);
    expect(both.message).toContain("ORD-10442");
    expect(both.message).toContain("ana.lima@example.com");
  });

  it("says yes to a confirmation question", async () => {
    const output = await turn([opening, { speaker: "agent", text: "Could you give me your order ID?" }, { speaker: "user", text: "It's ORD-10442." }, { speaker: "agent", text: "Just to confirm: I'll change the status of order ORD-10442 from packed to shipped. Shall I go ahead?" }]);
    expect(output.stop).toBe(false);
    expect(output.message).toMatch(/yes|confirm|go ahead|proceed|do it/i);
    expect(output.message).not.toContain("ORD-10442");
  });

  it("now and then stops right after a confirmation request, but never once told that such a stop was rejected", async () => {
    const conversation: ConversationTurn[] = [opening, { speaker: "agent", text: "Could you give me your order ID?" }, { speaker: "user", text: "It's ORD-10442." }, { speaker: "agent", text: "Just to confirm: I'll change the status of order ORD-10442 from packed to shipped. Shall I go ahead?" }];
    const context = { purpose: "user-turn" as const, goal, persona: personas[1] as Persona, hiddenFacts: facts, conversation, turn: 2, maxTurns: 8 };
    const replies = await Promise.all(Array.from({ length: 200 }, (_, seed) => ask(model, "user-turn", UserTurnOutputSchema, context, seed)));
    const stops = replies.filter((reply) => reply.stop).length;
    expect(stops).toBeGreaterThan(200 * 0.05);
    expect(stops).toBeLessThan(200 * 0.22);
    const resampled = await Promise.all(Array.from({ length: 60 }, (_, seed) => ask(model, "user-turn", UserTurnOutputSchema, { ...context, stopRejected: true }, seed)));
    for (const reply of resampled) expect(reply).toMatchObject({ stop: false, message: expect.stringMatching(/yes|confirm|go ahead|proceed|do it|right/i) });
  });

  it("goes on with follow-up requests about the records it heard of in a long session, and wraps up at its end", async () => {
    const done: ConversationTurn[] = [opening, { speaker: "agent", text: "Could you give me your order ID?" }, { speaker: "user", text: "It's ORD-10442." }, { speaker: "agent", text: "Done — order ORD-10442 is now shipped. I also see order ORD-20871 on your account." }];
    const followUps = await Promise.all(Array.from({ length: 40 }, (_, seed) => ask(model, "user-turn", UserTurnOutputSchema, { purpose: "user-turn", goal, persona: personas[seed % 4] as Persona, hiddenFacts: facts, conversation: done, turn: 2, maxTurns: 60 }, seed)));
    for (const reply of followUps) expect(reply.stop).toBe(false);
    const texts = followUps.map((reply) => reply.message);
    expect(texts.some((text) => text.includes("ORD-10442"))).toBe(true);
    expect(texts.some((text) => /ORD-10442.*ORD-20871|ORD-20871.*ORD-10442/.test(text))).toBe(true);
    expect(new Set(texts).size).toBeGreaterThan(10);
    for (const text of texts) expect(text).not.toMatch(/\s{2}|[:—,]\S/);
    const closing = await turn(done, personas[0], 58, 60);
    expect(closing.stop).toBe(true);
  });

  it("admits not knowing what it was not told, and never invents it", async () => {
    const output = await turn([opening, { speaker: "agent", text: "Could you tell me the tracking number of the parcel?" }]);
    expect(output.stop).toBe(false);
    expect(output.message).toMatch(/don't|do not|no idea|not sure/i);
    expect(output.message).not.toMatch(/ORD-10442|ana\.lima/);
  });

  it("thanks and stops when the assistant reports the goal done", async () => {
    const reports = [
      "Done — order ORD-10442 is now shipped.",
      "All set: order ORD-10442 now has status shipped. Is there anything else I can help you with?",
    ];
    for (const text of reports) {
      const output = await turn([opening, { speaker: "agent", text: "Could you give me your order ID?" }, { speaker: "user", text: "It's ORD-10442." }, { speaker: "agent", text }]);
      expect(output.stop).toBe(true);
    }
  });

  it("stops at the last allowed turn", async () => {
    const output = await turn([opening, { speaker: "agent", text: "Could you give me your order ID?" }], personas[1], 7, 8);
    expect(output.stop).toBe(true);
    expect(output.message.length).toBeGreaterThan(0);
  });

  it("gives up after not knowing twice", async () => {
    const output = await turn([
      opening,
      { speaker: "agent", text: "Could you tell me the tracking number?" },
      { speaker: "user", text: "I don't know the tracking number." },
      { speaker: "agent", text: "Could you tell me the warehouse code then?" },
    ]);
    expect(output.stop).toBe(true);
  });
});
