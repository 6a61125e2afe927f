import type { ImportEdge } from "./import-graph.js";

/*
 * The dependency direction of DESIGN.md, as data:
 *   domain, errors, support ← model, store, world ← stage folders ← pipeline ← mcp, cli
 * A folder may import its own files and the folders of any lower layer. Within a layer folders do not
 * reach sideways, except where `SIDEWAYS` says so; `ONLY` narrows a folder to a list. The library entry
 * `src/index.ts` sits above everything: it may import anything, nothing imports it.
 */
export const STAGE_FOLDERS = ["registry", "generate", "simulate", "judge", "filter", "export"] as const;

export const LAYERS: ReadonlyArray<readonly string[]> = [
  ["domain", "errors", "support"],
  ["model", "store", "world"],
  STAGE_FOLDERS,
  ["pipeline"],
  ["mcp", "cli"],
];

/**
 * Sideways imports within a layer that are allowed: support's seams throw our errors (a cancelled wait is a
 * CancelledError); the offline model plays the LLM tool simulator with the world's deterministic logic (from what
 * its request carries, as a model would); `cli` may start the `mcp` transports. `domain` and `errors` import
 * nothing of ours.
 */
const SIDEWAYS: Readonly<Record<string, readonly string[]>> = {
  support: ["errors"],
  model: ["world"],
  cli: ["mcp"],
};

/** Folders that may import only these (besides themselves). */
const ONLY: Readonly<Record<string, readonly string[]>> = {
  world: ["domain", "support"],
};

const ENTRY = "index.ts";

/** The first folder of a path relative to `src/` (`judge/judge-episode.ts` → `judge`); "" for a file at the top. */
export function folderOf(file: string): string {
  const slash = file.indexOf("/");
  return slash === -1 ? "" : file.slice(0, slash);
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

function describeLayer(index: number): string {
  return `layer ${index + 1} (${LAYERS[index]?.join(", ")})`;
}

/** What is wrong with one import, or undefined when the direction allows it. */
export function checkImport({ from, to }: ImportEdge): string | undefined {
  const source = folderOf(from);
  const target = folderOf(to);
  if (to === ENTRY) return `nothing imports the library entry src/${ENTRY}; import the module it re-exports`;
  if (source === "" || source === target) return undefined;
  const sourceLayer = layerOf(source);
  const targetLayer = layerOf(target);
  if (sourceLayer === -1) return `src/${source}/ is in no layer of DESIGN.md; add it to the layout and to LAYERS in test/architecture/layering.ts`;
  if (targetLayer === -1) return `src/${target}/ is in no layer of DESIGN.md; add it to the layout and to LAYERS in test/architecture/layering.ts`;
  const only = ONLY[source];
  if (only !== undefined) {
    return only.includes(target) ? undefined : `${source} depends on ${only.join(" and ")} only (DESIGN.md), not on ${target}`;
  }
  if (targetLayer < sourceLayer) return undefined;
  if (targetLayer > sourceLayer) {
    return `${source} (${describeLayer(sourceLayer)}) may not import ${target} (${describeLayer(targetLayer)}): imports point down the layers, ${LAYERS.map((layer) => layer.join(", ")).join(" ← ")}`;
  }
  if (SIDEWAYS[source]?.includes(target)) return undefined;
  if ((STAGE_FOLDERS as readonly string[]).includes(source)) {
    return `stage folders never import each other (${source} → ${target}); move what both need down to model, store, world or the base layer, or compose them in pipeline`;
  }
  return `${source} may not reach sideways into ${target} (both in ${describeLayer(sourceLayer)})`;
}

/** One line per import against the direction: `from → to: rule`. */
export function findLayerViolations(edges: readonly ImportEdge[]): string[] {
  return edges.flatMap((edge) => {
    const problem = checkImport(edge);
    return problem === undefined ? [] : [`src/${edge.from} → src/${edge.to}: ${problem}`];
  });
}

/**
 * The import cycles between files, one per strongly connected component (Tarjan), each shown as one closed
 * path through it: `a.ts → b.ts → a.ts`.
 */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    const targets = next.get(from) ?? [];
    if (!targets.includes(to)) targets.push(to);
    next.set(from, targets);
    if (!next.has(to)) next.set(to, []);
  }
  const components = stronglyConnected(next);
  return components
    .filter((component) => component.length > 1 || next.get(component[0] as string)?.includes(component[0] as string))
    .map((component) => closedPath(component, next));
}

function stronglyConnected(next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** The shortest path from the component's first file back to itself, staying inside the component. */
function closedPath(component: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const target of next.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let step: string | undefined = node; step !== undefined && step !== start; step = previous.get(step)) path.unshift(step);
        return [start, ...path].map((file) => `src/${file}`);
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return component.map((file) => `src/${file}`);
}
