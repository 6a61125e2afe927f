import { basename, dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nodeFileSystem, openStore, type Store, type StoreFileSystem } from "../../src/store/index.js";
import { makeEpisode, makeTask, makeTempDir, removeDir } from "./fixtures.js";

/**
 * The store's writes go through an injectable file-system seam; here it is node:fs itself, wrapped to record
 * each call in order, so the tests see what really reaches the disk and in which order.
 */
function recordingFileSystem(calls: string[], root: string): StoreFileSystem {
  const name = (path: string): string => (path === root ? "<data>" : path.startsWith(root) ? path.slice(root.length + 1) : path);
  return {
    async open(path, flags) {
      const handle = await nodeFileSystem.open(path, flags);
      calls.push(`open ${name(path)} ${flags}`);
      return {
        async writeAt(data, position) {
          await handle.writeAt(data, position);
          calls.push(`write ${name(path)} @${position}`);
        },
        async sync() {
          await handle.sync();
          calls.push(`fsync ${name(path)}`);
        },
        async truncate(size) {
          await handle.truncate(size);
          calls.push(`truncate ${name(path)} ${size}`);
        },
        async close() {
          await handle.close();
          calls.push(`close ${name(path)}`);
        },
      };
    },
    async rename(from, to) {
      await nodeFileSystem.rename(from, to);
      calls.push(`rename ${name(from)} -> ${name(to)}`);
    },
    async link(existing, path) {
      await nodeFileSystem.link(existing, path);
      calls.push(`link ${name(existing)} -> ${name(path)}`);
    },
    async unlink(path) {
      await nodeFileSystem.unlink(path);
      calls.push(`unlink ${name(path)}`);
    },
  };
}

/** A temporary file's name, with its random part made constant. */
function normalize(call: string): string {
  return call.replace(/\.\d+-[0-9a-f]{8}\.tmp/g, ".TMP");
}

let dataDir: string;
let calls: string[];
let store: Store;

beforeEach(async () => {
  dataDir = await makeTempDir();
  calls = [];
  store = await openStore({ dataDir, shardSize: 2, fileSystem: recordingFileSystem(calls, dataDir) });
});

afterEach(async () => {
  await store.close();
  await removeDir(dataDir);
});

describe("durable writes", () => {
  it("a catalog write: the new file is fsynced before its rename, and the directory after it", async () => {
    await store.tasks.put(makeTask("task-1"));
    expect(calls.map(normalize)).toEqual([
      "open .tasks.json.TMP wx",
      "write .tasks.json.TMP @0",
      "fsync .tasks.json.TMP",
      "close .tasks.json.TMP",
      "rename .tasks.json.TMP -> tasks.json",
      "open <data> r",
      "fsync <data>",
      "close <data>",
    ]);
  });

  it("appends: a new shard is created and fsynced with its directory, each append is written and fsynced, a full shard's index is published like a catalog", async () => {
    await store.episodes.append(makeEpisode("ep-1", 1));
    await store.episodes.append(makeEpisode("ep-2", 1));
    await store.close(); // the shard is sealed once the append filling it has resolved
    expect(calls.map(normalize)).toEqual([
      "open episodes/shard-000001.jsonl wx",
      "write episodes/shard-000001.jsonl @0",
      "fsync episodes/shard-000001.jsonl",
      "open episodes r",
      "fsync episodes",
      "close episodes",
      expect.stringMatching(/^write episodes\/shard-000001\.jsonl @\d+$/),
      "fsync episodes/shard-000001.jsonl",
      expect.stringMatching(/^write episodes\/shard-000001\.jsonl @\d+$/),
      "fsync episodes/shard-000001.jsonl",
      "close episodes/shard-000001.jsonl",
      "open episodes/.shard-000001.index.json.TMP wx",
      "write episodes/.shard-000001.index.json.TMP @0",
      "fsync episodes/.shard-000001.index.json.TMP",
      "close episodes/.shard-000001.index.json.TMP",
      "rename episodes/.shard-000001.index.json.TMP -> episodes/shard-000001.index.json",
      "open episodes r",
      "fsync episodes",
      "close episodes",
    ]);
  });

  it("every rename and every new file is followed by an fsync of its directory, and every renamed file was fsynced first", async () => {
    await Promise.all([
      ...Array.from({ length: 7 }, (_, index) => store.episodes.append(makeEpisode(`ep-${index}`, 1))),
      store.tasks.putMany([makeTask("task-1"), makeTask("task-2")]),
      store.tools.count(),
    ]);
    await store.close();
    expect(calls.length).toBeGreaterThan(20);
    calls.forEach((call, position) => {
      const renamed = /^rename (\S+) -> (\S+)$/.exec(call);
      const created = /^open (\S+) wx$/.exec(call);
      if (renamed?.[1] && renamed[2]) {
        const [, from, to] = renamed;
        expect(calls.slice(0, position), `${from} fsynced before its rename`).toContain(`fsync ${from}`);
        const directory = dirname(to) === "." ? "<data>" : dirname(to);
        expect(calls.slice(position + 1), `the directory of ${to} fsynced after its rename`).toContain(`fsync ${directory}`);
      }
      if (created?.[1] && !basename(created[1]).startsWith(".")) {
        expect(calls.slice(position + 1), `the directory of ${created[1]} fsynced after its creation`).toContain(`fsync ${dirname(created[1])}`);
      }
    });
  });
});
