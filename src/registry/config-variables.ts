/** Where `${VAR}` references of an MCP config are looked up: explicit variables first, then the environment. */
export interface VariableSource {
  variables: Readonly<Record<string, string>>;
  env: Readonly<Record<string, string | undefined>>;
}

/** The expanded text, and the values read from the environment to make it (secrets until proven otherwise). */
export type Expansion = { ok: true; value: string; fromEnvironment: string[] } | { ok: false; missing: string[] };

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expand `${VAR}` and `${VAR:-default}` (the default applies when the variable is unset or empty, as in a
 * shell). A variable that is unset and has no default is reported by name; other text is kept as written.
 */
export function expandVariables(text: string, source: VariableSource): Expansion {
  const missing: string[] = [];
  const fromEnvironment: string[] = [];
  const value = text.replace(REFERENCE, (_match, name: string, fallback: string | undefined) => {
    const found = lookUp(name, source);
    if (found !== undefined && found !== "") {
      if (!Object.hasOwn(source.variables, name)) fromEnvironment.push(found);
      return found;
    }
    if (fallback !== undefined) return fallback;
    if (found !== undefined) return found;
    missing.push(name);
    return "";
  });
  return missing.length > 0 ? { ok: false, missing: [...new Set(missing)] } : { ok: true, value, fromEnvironment };
}

/** The names of the `${VAR}` references in a text, in order, each once. */
export function referencedVariables(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((match) => match[1] as string))];
}

function lookUp(name: string, source: VariableSource): string | undefined {
  return Object.hasOwn(source.variables, name) ? source.variables[name] : source.env[name];
}
