import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freezeLaterTimes, freezeLaterTimesIn, VIRTUAL_NOW, VirtualPaths } from "../../src/support/virtual-paths.js";

describe("VirtualPaths", () => {
  const paths = VirtualPaths.forDataDir("/srv/alice/project/.agentsynth", { cwd: "/srv/alice/project", home: "/srv/alice" });

  it("shows the sandbox as /sandbox, the rest of the data directory as /data, the working and home folders one way", () => {
    expect(paths.toVirtual("Allowed directories:\n/srv/alice/project/.agentsynth/sandbox")).toBe("Allowed directories:\n/sandbox");
    expect(paths.toVirtual("open '/srv/alice/project/.agentsynth/sandbox/notes/a.md' failed")).toBe("open '/sandbox/notes/a.md' failed");
    expect(paths.toVirtual("graph in /srv/alice/project/.agentsynth/memory.jsonl")).toBe("graph in /data/memory.jsonl");
    expect(paths.toVirtual("/srv/alice/project/README.md and /srv/alice/.ssh")).toBe("/workspace/README.md and /home/user/.ssh");
    expect(paths.toReal("/workspace/README.md")).toBe("/workspace/README.md");
    expect(paths.toReal("/home/user")).toBe("/home/user");
  });

  it("matches whole path segments only", () => {
    expect(paths.toVirtual("/srv/alice/project/.agentsynth/sandboxes/x")).toBe("/data/sandboxes/x");
    expect(paths.toVirtual("/srv/alicebob/file")).toBe("/srv/alicebob/file");
  });

  it("maps a virtual path given to a real tool back to the real one, and leaves other text alone", () => {
    expect(paths.toReal("/sandbox")).toBe("/srv/alice/project/.agentsynth/sandbox");
    expect(paths.toReal("/sandbox/notes/a.md")).toBe("/srv/alice/project/.agentsynth/sandbox/notes/a.md");
    expect(paths.toReal("/data/memory.jsonl")).toBe("/srv/alice/project/.agentsynth/memory.jsonl");
    expect(paths.toReal("/sandboxes")).toBe("/sandboxes");
    expect(paths.toReal("see /sandbox/a")).toBe("see /sandbox/a");
    expect(paths.jsonToReal({ path: "/sandbox/a", paths: ["/sandbox/b", 3], note: "x" })).toEqual({ path: "/srv/alice/project/.agentsynth/sandbox/a", paths: ["/srv/alice/project/.agentsynth/sandbox/b", 3], note: "x" });
    expect(paths.jsonToVirtual({ "/srv/alice/project/.agentsynth/sandbox/k": ["/srv/alice/project/.agentsynth/sandbox"] })).toEqual({ "/sandbox/k": ["/sandbox"] });
  });

  describe("a data directory reached through a symbolic link", () => {
    let directory: string;
    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), "agentsynth-virtual-"));
      await symlink(directory, `${directory}-link`);
    });
    afterAll(async () => {
      await rm(`${directory}-link`, { force: true });
      await rm(directory, { recursive: true, force: true });
    });

    it("maps both the path given and the resolved one (servers report the resolved one)", () => {
      const linked = VirtualPaths.forDataDir(`${directory}-link`, { cwd: "/nowhere", home: "/nowhere" });
      expect(linked.toVirtual(`${directory}/sandbox/a and ${directory}-link/sandbox/b`)).toBe("/sandbox/a and /sandbox/b");
    });
  });
});

describe("freezeLaterTimes", () => {
  it("shows times after the virtual clock as it, in the form they came in, and keeps earlier ones", () => {
    const info = "created: Sun Nov 29 2026 14:13:18 GMT+0000 (Coordinated Universal Time)\nmodified: Wed Jan 01 2025 00:00:00 GMT+0000 (Coordinated Universal Time)";
    expect(freezeLaterTimes(info)).toBe("created: Mon Mar 02 2026 00:00:00 GMT+0000 (Coordinated Universal Time)\nmodified: Wed Jan 01 2025 00:00:00 GMT+0000 (Coordinated Universal Time)");
    expect(freezeLaterTimes("at 2027-05-01T10:00:00.123Z, before 2020-01-01T00:00:00Z")).toBe(`at ${VIRTUAL_NOW.toISOString()}, before 2020-01-01T00:00:00Z`);
    expect(freezeLaterTimesIn({ mtime: "2030-01-01T00:00:00+02:00", size: 4 })).toEqual({ mtime: VIRTUAL_NOW.toISOString(), size: 4 });
  });
});
