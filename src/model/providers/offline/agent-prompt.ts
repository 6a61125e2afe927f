/*
 * What the agent reads from its system prompt: whether it must confirm before writes and how much to say.
 */

export type Verbosity = "terse" | "normal" | "detailed";

const NO_CONFIRMATION = /(no (extra |explicit |further )?confirmation|without (asking for |waiting for )?confirmation|need not confirm|don't need to confirm|do not need to confirm)/i;

export function wantsConfirmation(systemPrompt: string): boolean {
  if (NO_CONFIRMATION.test(systemPrompt)) return false;
  return /\bconfirm(ation)?\b|\bask (for )?permission\b|\bexplicit (approval|consent)\b/i.test(systemPrompt);
}

export function readVerbosity(systemPrompt: string): Verbosity {
  if (/(short and to the point|be concise|be brief|keep (replies|answers) short|terse)/i.test(systemPrompt)) return "terse";
  if (/(in detail|detailed|thorough)/i.test(systemPrompt)) return "detailed";
  return "normal";
}
