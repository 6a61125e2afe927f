import type { EpisodeRecord } from "../domain/episode.js";
import type { JudgmentRecord } from "../domain/judgment.js";
import type { TaskRecord } from "../domain/task.js";
import type { ToolRecord } from "../domain/tool.js";
import type { JudgeMember } from "../model/judge-committee.js";
import { loseItem, type StageEnv } from "../model/stage-env.js";
import { mapConcurrent } from "../support/concurrency.js";
import { judgeEpisode } from "./judge-episode.js";
import type { MachineFacts } from "./privacy-rule.js";

/**
 * Judge many episodes, `concurrency` at a time; each judgment is handed to `onJudgment` as it is made. An episode
 * whose judge request failed for good is left unjudged (reported to `env.onItemFailure`); the others go on.
 */
export async function judgeEpisodes(
  env: StageEnv,
  options: {
    episodes: readonly EpisodeRecord[];
    tasks: ReadonlyMap<string, TaskRecord>;
    tools: ReadonlyMap<string, ToolRecord>;
    concurrency: number;
    /** The judges that score llm criteria (default: the environment's judge model alone). */
    committee?: readonly JudgeMember[] | undefined;
    /** The machine that made the data, for the privacy rule. */
    machine?: MachineFacts | undefined;
    onJudgment: (judgment: JudgmentRecord) => Promise<void>;
  },
): Promise<JudgmentRecord[]> {
  let done = 0;
  const judgments = await mapConcurrent(
    options.episodes,
    options.concurrency,
    async (episode): Promise<JudgmentRecord | undefined> => {
      const task = options.tasks.get(episode.taskId);
      if (!task) throw new Error(`episode ${episode.id} names task ${episode.taskId}, which is not loaded`);
      const tools = episode.toolIds.map((id) => options.tools.get(id)).filter((tool): tool is ToolRecord => tool !== undefined);
      let judgment: JudgmentRecord;
      try {
        judgment = await judgeEpisode(env, { episode, task, tools, committee: options.committee, machine: options.machine });
      } catch (error) {
        loseItem(env, `the judgment of episode ${episode.id}`, error);
        env.onProgress?.({ done: ++done, total: options.episodes.length, message: "not judged" });
        return undefined;
      }
      await options.onJudgment(judgment);
      env.onProgress?.({ done: ++done, total: options.episodes.length, message: judgment.verdict });
      return judgment;
    },
    env.signal,
  );
  return judgments.filter((judgment): judgment is JudgmentRecord => judgment !== undefined);
}
