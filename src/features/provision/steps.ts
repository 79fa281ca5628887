import { BACK, type Back } from '../shared/prompter';

/** Result of a step of a multi-step flow: go on, go back one step, or stop the flow. */
export type StepResult = 'next' | 'back' | 'cancel';

/** A step of a multi-step flow. It reads and writes the flow's state and gets its 1-based number. */
export type Step<State> = (state: State, step: number) => Promise<StepResult>;

/**
 * Runs steps in order from `start`. Back goes to the previous step, and Back on the
 * first step stops the flow like Escape. Returns whether every step finished.
 */
export async function runSteps<State>(state: State, steps: readonly Step<State>[], start = 0): Promise<boolean> {
  let index = start;
  while (index < steps.length) {
    const result = await steps[index](state, index + 1);
    if (result === 'cancel') {
      return false;
    }
    if (result === 'back') {
      if (index === 0) {
        return false;
      }
      index--;
    } else {
      index++;
    }
  }
  return true;
}

/** Turns a prompt's answer into a step result: undefined is cancel, BACK is back. */
export function answerOf<T>(answer: T | Back | undefined): { result: 'back' | 'cancel' } | { value: T } {
  if (answer === undefined) {
    return { result: 'cancel' };
  }
  if (answer === BACK) {
    return { result: 'back' };
  }
  return { value: answer as T };
}
