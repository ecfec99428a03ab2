import { describe, expect, it } from 'vitest';
import { StopRequestedError } from '../../src/jobs/stop-request.js';
import { throwIfStoppedAfterFirstCycle } from '../../src/cli/serve-loop.js';

const stopped = (name: 'SIGINT' | 'SIGTERM') => {
  const controller = new AbortController();
  controller.abort(new StopRequestedError(name));
  return controller.signal;
};

describe('a stop heard once the first cycles are over', () => {
  it('says the first cycle finished when one ran, with the signal’s exit code', () => {
    const err = (() => {
      try {
        throwIfStoppedAfterFirstCycle(stopped('SIGTERM'), true);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(StopRequestedError);
    expect(err).toMatchObject({ message: 'Stopped by SIGTERM after the first cycle finished.', exitCode: 143 });
  });

  it('says no cycle ran when the only CRM still waits for its install', () => {
    expect(() => throwIfStoppedAfterFirstCycle(stopped('SIGINT'), false)).toThrow(/^Stopped by SIGINT while no CRM was connected yet: no cycle ran\.$/);
  });

  it('does nothing without a stop', () => {
    expect(() => throwIfStoppedAfterFirstCycle(new AbortController().signal, false)).not.toThrow();
  });
});
