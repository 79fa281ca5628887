/**
 * Helpers for the modules that run inside the VS Code extension host: the
 * `extensionTestsPath` entries, whose `run()` VS Code calls, and the
 * activation probe. Results go to the file named by WCL_BENCH_RESULTS, one
 * JSON object per line, which the driver in bench/benchmarks/vscode.ts reads
 * after the window closes.
 */
import { appendFileSync } from 'node:fs';

export const EXTENSION_ID = 'wasmcloud-lattice.wasmcloud-lattice';

/** One line of the results file. */
export type HostResult =
  | { kind: 'activation'; activateMs: number }
  | { kind: 'activation-trace'; activateMs: number; events: TracedIo[] }
  | { kind: 'first-diagnostics'; openMs: number[]; referenceOpenMs: number[]; extensionMs: number[]; editMs: number[]; debounceMs: number; lines: number };

/** One file, process, network or secret-storage operation seen while activate() ran. */
export interface TracedIo {
  /** `fs.readFileSync`, `async TCPWRAP`, `context.secrets.get`… */
  readonly operation: string;
  /** Whether a frame of the extension bundle is on the stack, so the extension caused it. */
  readonly fromExtension: boolean;
  /** The first frames of the stack, for the report. */
  readonly stack: string;
}

export function writeResult(result: HostResult): void {
  const file = process.env.WCL_BENCH_RESULTS;
  if (file === undefined || file === '') {
    throw new Error('WCL_BENCH_RESULTS is not set, so the benchmark result has nowhere to go.');
  }
  appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/** Resolves on the next turn of the event loop. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
