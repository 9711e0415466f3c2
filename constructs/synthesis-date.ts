/**
 * The instant synthesized output is dated with: only the guardrails' clock ConfigMap carries it
 * (ClusterGuardrails, policy/admission.ts). SOURCE_DATE_EPOCH, when set, is that instant (the
 * reproducible-builds.org convention: whole seconds since 1970-01-01 UTC, usually the commit's
 * time, `git log -1 --format=%ct`), so one commit synthesizes to the same bytes on any day;
 * otherwise the time of synth. Checks never read it: waiver expiry and end of life are judged
 * against the real clock.
 */
export function synthesisDate(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return new Date();
  const seconds = /^[0-9]{1,12}$/.test(raw) ? Number(raw) : NaN;
  const date = new Date(seconds * 1000);
  if (!Number.isSafeInteger(seconds) || Number.isNaN(date.getTime())) {
    throw new Error(`SOURCE_DATE_EPOCH "${raw}" is not a whole number of seconds since 1970-01-01 UTC (the guardrails' clock is dated with it). Set it to e.g. $(git log -1 --format=%ct), or unset it to date the output at synth.`);
  }
  return date;
}
