/**
 * Prints the functions with the most self time in a V8 CPU profile, as
 * written by `node --cpu-prof` or `npm run bench -- --cpu-prof`, with the
 * share of samples spent in each and the callers that sum up their time.
 * Usage: node .bench/out/bench/profile-summary.js FILE.cpuprofile [--top N]
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function describe(node: ProfileNode): string {
  const frame = node.callFrame;
  const file = frame.url === '' ? '(native)' : path.basename(frame.url.replace(/^file:\/\//, ''));
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName} ${file}:${frame.lineNumber + 1}`;
}

function main(): void {
  const [file, ...rest] = process.argv.slice(2);
  if (file === undefined) {
    console.error('Usage: node .bench/out/bench/profile-summary.js FILE.cpuprofile [--top N]');
    process.exitCode = 2;
    return;
  }
  const topIndex = rest.indexOf('--top');
  const top = topIndex >= 0 ? Number(rest[topIndex + 1]) : 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  // Self time per sampled node, in microseconds.
  const selfTime = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
    total += delta;
  });

  // Self and inclusive time per function (name and location), counting each function once per stack.
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const node = byId.get(id);
    if (node === undefined) {
      continue;
    }
    const key = describe(node);
    self.set(key, (self.get(key) ?? 0) + time);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current);
      if (frame === undefined) {
        break;
      }
      const name = describe(frame);
      if (!seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + time);
      }
    }
  }

  const percent = (time: number): string => `${((100 * time) / total).toFixed(1).padStart(5)}%`;
  console.log(`${(total / 1e6).toFixed(2)} s sampled in ${path.basename(file)}\n\nself time:`);
  for (const [name, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${percent(time)}  ${name}`);
  }
  console.log('\ninclusive time:');
  for (const [name, time] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${percent(time)}  ${name}`);
  }
}

main();
