import { AgentsynthError } from "./agentsynth-error.js";

/** A remote provider (openai or a preset) is configured for a role but no key was given. Raised before any work starts. */
export class MissingApiKeyError extends AgentsynthError {
  constructor(readonly role: string, readonly variable: string) {
    super(
      "MISSING_API_KEY",
      `models.${role} uses a remote provider but no API key is set: set ${variable} in the environment, or models.${role}.apiKey / apiKeyEnv in the config (use provider "offline" to run without a key)`,
    );
  }
}
