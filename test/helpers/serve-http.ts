import { spawn, type ChildProcess } from "node:child_process";
import { CLI } from "./run-cli.js";

export interface ServedHttp {
  process: ChildProcess;
  url: URL;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
}

/** Start the built `agentsynth serve --http --port 0 …` and wait for the line naming its URL. */
export async function startServeHttp(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ServedHttp> {
  const child = spawn(process.execPath, [CLI, "serve", "--http", "--port", "0", ...args], { cwd: options.cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 20_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+\/mcp)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(new URL(match[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
  return { process: child, url, output: () => output };
}
