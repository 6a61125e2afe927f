import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GLOBAL_FLAGS, usageOf } from "../../src/cli/command.js";
import { COMMANDS, HELP } from "../../src/cli/main.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const README = await readFile(join(REPO_ROOT, "README.md"), "utf8");
const CLI_SECTION = README.slice(README.indexOf("## CLI"), README.indexOf("## MCP server"));

describe("the commands' help and the README", () => {
  it("the help shows every command's usage, made from its flag table", () => {
    for (const command of COMMANDS) expect(HELP).toContain(usageOf(command).split("\n")[0]);
  });

  it("the README's CLI section names every command and every flag", () => {
    for (const command of COMMANDS) {
      expect(CLI_SECTION, command.name).toMatch(new RegExp(`(agentsynth|\\|) ${command.name}\\b`));
      for (const name of Object.keys({ ...command.flags, ...GLOBAL_FLAGS })) {
        const shown = `--[no-]${name.replace(/^no-/, "")}`;
        expect(CLI_SECTION.includes(`--${name}`) || CLI_SECTION.includes(shown), `${command.name} --${name}`).toBe(true);
      }
    }
  });

  it("a flag name means the same kind of flag (a value or a switch) in every command, so command words are found the same way", () => {
    const kinds = new Map<string, string>();
    for (const command of COMMANDS) {
      for (const [name, spec] of Object.entries({ ...command.flags, ...GLOBAL_FLAGS })) {
        expect(kinds.get(name) ?? spec.type, `--${name} of ${command.name}`).toBe(spec.type);
        kinds.set(name, spec.type);
      }
    }
  });
});
