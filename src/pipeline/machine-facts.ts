import { homedir, userInfo } from "node:os";
import { describeMachine, type MachineFacts } from "../judge/privacy-rule.js";

/** This machine as the privacy rule sees it: its home, user name, the data and working directories, and secret environment values. */
export function describeThisMachine(dataDir: string, env: NodeJS.ProcessEnv): MachineFacts {
  let userName: string | undefined;
  try {
    userName = userInfo().username;
  } catch {
    userName = env.USER ?? env.USERNAME;
  }
  return describeMachine({ homeDirectory: homedir(), userName, directories: [dataDir, process.cwd()], env });
}
