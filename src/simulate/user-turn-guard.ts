import type { ChatMessage } from "../domain/message.js";
import type { TaskRecord } from "../domain/task.js";

/*
 * Checks on the user simulator's replies, for the rules that can be checked from the transcript: it may
 * not stop right after the agent asked to confirm an action it has not carried out (τ-bench's most common
 * user-simulator error), may not name ids nobody gave it, and may not reveal hidden facts in its opening.
 */

const CONFIRMATION_REQUEST =
  /(shall i\b|should i\b|do you want me to|would you like me to|want me to go ahead|can i go ahead|may i (go ahead|proceed)|(okay|ok) to proceed|go ahead\?|proceed\?|please confirm|can you confirm|could you confirm|confirm (that|this|the)\b|is that (right|correct)\?|does that (look|sound) (right|good|correct)\?)/i;
const CLOSING = /(anything else|something else|any other (questions|requests)|further (help|assistance)|else i can (help|do))/i;
const DECLINE = /\b(no|nope|don't|do not|not now|leave it|never ?mind|cancel that|hold off|stop)\b/i;
const ID_TOKEN = /\b[A-Z]{2,5}-\d{3,}\b/g;

/**
 * The agent's last message when it asks the user to confirm a proposed action it has not carried out: the
 * last message is the agent's text (no tool ran since it spoke) and it asks for confirmation, not whether
 * the user needs anything else.
 */
export function findPendingConfirmation(messages: readonly ChatMessage[]): string | undefined {
  const last = messages[messages.length - 1];
  if (last?.role !== "assistant" || last.tool_calls?.length || !last.content) return undefined;
  const sentences = last.content.split(/(?<=[.!?])\s+/);
  const asks = sentences.some((sentence) => CONFIRMATION_REQUEST.test(sentence) && !CLOSING.test(sentence));
  return asks ? last.content : undefined;
}

/** A stop that turns the proposal down ("No, leave it.") is a legitimate end, not a premature one. */
export function isDecline(message: string): boolean {
  return DECLINE.test(message);
}

/** A stop right after the agent asked to confirm an action it has not executed, without declining it. */
export function isPrematureStop(messages: readonly ChatMessage[], reply: { message: string; stop: boolean }): boolean {
  return reply.stop && findPendingConfirmation(messages) !== undefined && !isDecline(reply.message);
}

/** The note shown to the user simulator when its premature stop is rejected and the turn sampled again. */
export const PREMATURE_STOP_NOTE =
  "Note: you tried to end the conversation, but the assistant has just asked you to confirm an action it has not carried out yet. Do not stop now: answer its question (confirm it, or decline it if it is not what you want).";

/**
 * Labels for rule breaks in a user message: `user_invented_id` when it names an id that neither the task
 * (goal, hidden facts) nor the conversation gave, `user_revealed_fact_unasked` when the opening message
 * gives away a hidden fact the goal does not state.
 */
export function checkUserMessage(task: TaskRecord, messages: readonly ChatMessage[], message: string, turn: number): string[] {
  const labels: string[] = [];
  const known = [task.goal, JSON.stringify(task.hiddenFacts), ...messages.filter((entry) => entry.role === "user" || entry.role === "assistant").map((entry) => entry.content ?? "")].join("\n");
  if ((message.match(ID_TOKEN) ?? []).some((id) => !known.includes(id))) labels.push("user_invented_id");
  if (turn === 0) {
    const revealed = task.hiddenFacts.some((fact) => typeof fact.value === "string" && fact.value.length >= 4 && message.includes(fact.value) && !task.goal.includes(fact.value));
    if (revealed) labels.push("user_revealed_fact_unasked");
  }
  return labels;
}
