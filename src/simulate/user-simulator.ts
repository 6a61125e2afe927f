import type { ChatMessage } from "../domain/message.js";
import type { TaskRecord } from "../domain/task.js";
import { generateObject, type ObjectResult } from "../model/generate.js";
import { UserTurnOutputSchema, type ConversationTurn, type UserTurnOutput } from "../model/request-context.js";
import type { StageEnv } from "../model/stage-env.js";
import { PREMATURE_STOP_NOTE } from "./user-turn-guard.js";

/** What the simulated user sees: user and assistant text only, never tool traffic. */
export function toConversation(messages: readonly ChatMessage[]): ConversationTurn[] {
  const turns: ConversationTurn[] = [];
  for (const message of messages) {
    if (message.role === "user") turns.push({ speaker: "user", text: message.content });
    else if (message.role === "assistant" && message.content && message.content.trim() !== "") turns.push({ speaker: "agent", text: message.content });
  }
  return turns;
}

/** What the simulated user is told: the task's scenario, or for a task written before scenarios, its goal. */
export function scenarioOf(task: TaskRecord): string {
  return task.scenario ?? `Why you are contacting the assistant: ${task.goal}`;
}

export function renderUserSimulatorPrompt(task: TaskRecord): string {
  const persona = task.persona;
  const facts = task.hiddenFacts.map((fact) => `- ${fact.description} (${fact.key}): ${JSON.stringify(fact.value)}`).join("\n") || "- (none)";
  return [
    `You are role-playing a user who is talking to an AI assistant. Stay in character; speak in the first person, in your own words (never copy the scenario's sentences).`,
    `Persona: ${persona.name}; style: ${persona.style}; expertise: ${persona.expertise}; language: ${persona.language}; patience: ${persona.patience}${persona.background ? `; background: ${persona.background}` : ""}.`,
    `Your scenario:\n${scenarioOf(task)}`,
    `Facts you know (reveal each only when the assistant asks for it):\n${facts}`,
    `Rules: make one request at a time, in the order of the scenario; reveal a fact only when asked for it; never invent facts you were not given (say you don't know); do not solve the task yourself; follow "How to behave" (change your mind, push back once, say which record you mean) when it says so; set "stop" to true only when everything you wanted is done or clearly impossible, never right after the assistant merely proposes an action.`,
    `Answer with JSON {"message": string, "stop": boolean}.`,
  ].join("\n\n");
}

export interface UserTurnOptions {
  task: TaskRecord;
  messages: readonly ChatMessage[];
  turn: number;
  maxTurns: number;
  seed: number;
  /** The previous sample of this turn stopped right after a confirmation request and was rejected. */
  stopRejected?: boolean | undefined;
}

/** Ask the user simulator for the next user turn. */
export function generateUserTurn(env: StageEnv, options: UserTurnOptions): Promise<ObjectResult<UserTurnOutput>> {
  const conversation = toConversation(options.messages);
  const transcript = conversation.map((turn) => `${turn.speaker === "user" ? "You" : "Assistant"}: ${turn.text}`).join("\n");
  return generateObject(env.models.userSimulator, {
    purpose: "user-turn",
    schema: UserTurnOutputSchema,
    schemaName: "user_turn",
    signal: env.signal,
    seed: options.seed,
    messages: [
      { role: "system", content: renderUserSimulatorPrompt(options.task) },
      {
        role: "user",
        content: [
          conversation.length === 0 ? "Start the conversation with your first message." : `Conversation so far:\n${transcript}\n\nWrite your next message (turn ${options.turn + 1} of at most ${options.maxTurns}).`,
          ...(options.stopRejected ? [PREMATURE_STOP_NOTE] : []),
        ].join("\n\n"),
      },
    ],
    context: {
      purpose: "user-turn",
      scenario: scenarioOf(options.task),
      persona: options.task.persona,
      hiddenFacts: options.task.hiddenFacts,
      conversation,
      turn: options.turn,
      maxTurns: options.maxTurns,
      ...(options.stopRejected ? { stopRejected: true } : {}),
    },
  });
}
