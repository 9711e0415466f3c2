/**
 * Unit-test setup (jest setupFilesAfterEnv): every test runs at one fixed instant, so that waiver
 * expiry and Kubernetes end-of-life checks give the same verdicts on any day. Only Date is faked;
 * timers, ticks and microtasks stay real. The product reads the real clock and takes no clock
 * from props, so this is the only way to move it, and only a test runner can.
 */
export const NOW = new Date('2026-11-22T12:00:00Z');

// SOURCE_DATE_EPOCH would date the guardrails' clock instead (constructs/synthesis-date.ts); tests
// that want it set it themselves.
delete process.env.SOURCE_DATE_EPOCH;

if (typeof jest !== 'undefined') {
  jest.useFakeTimers({
    now: NOW,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame',
      'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}
