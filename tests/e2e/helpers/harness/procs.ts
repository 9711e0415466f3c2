/**
 * Child-process supervision for the e2e control plane: output to log files,
 * graceful stop (SIGTERM, then SIGKILL), and cleanup when Node exits.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';

export interface Proc {
  name: string;
  child: ChildProcess;
  logPath: string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** Set once the process has exited. */
  exitStatus?: number | string;
}

const live = new Set<Proc>();
const cleanups = new Set<() => void>();
let hooksInstalled = false;

function killAllNow(): void {
  for (const p of live) {
    if (p.exitStatus === undefined && p.child.pid !== undefined) {
      try {
        process.kill(p.child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      /* best effort while exiting */
    }
  }
  cleanups.clear();
}

/**
 * Registers a synchronous cleanup (e.g. removing a temp dir) to run when Node
 * exits or is signalled, after the children were killed. Returns an
 * unregister function.
 */
export function onExitCleanup(fn: () => void): () => void {
  installExitHooks();
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}

function onSignal(sig: NodeJS.Signals): void {
  killAllNow();
  // Our listener replaced Node's default action; if nobody else handles the
  // signal, restore the default and re-raise it so the process still dies.
  process.removeListener(sig, onSignal);
  if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
}

/**
 * Kills every live child when this Node process exits or is told to stop.
 * (A SIGKILL of Node cannot be caught: for that case bulwark-kube watches its
 * parent pid, see BULWARK_EXIT_WITH_PARENT in tools/cmd/bulwark-kube.)
 */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as NodeJS.Signals[]) {
    process.on(sig, onSignal);
  }
}

/** Starts `cmd args` with stdout and stderr appended to `logPath`. */
export function startProc(name: string, cmd: string, args: string[], logPath: string, env?: NodeJS.ProcessEnv): Proc {
  installExitHooks();
  const fd = fs.openSync(logPath, 'a');
  fs.writeSync(fd, `# ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  let child: ChildProcess;
  try {
    child = spawn(cmd, args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, ...env, BULWARK_EXIT_WITH_PARENT: '1' },
    });
  } finally {
    fs.closeSync(fd); // the child holds its own copy
  }
  const proc: Proc = {
    name,
    child,
    logPath,
    exited: new Promise((resolve) => {
      const done = (status: number | string) => {
        if (proc.exitStatus === undefined) {
          proc.exitStatus = status;
          live.delete(proc);
        }
        resolve(proc.exitStatus);
      };
      child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
      child.once('error', (err) => done(`spawn error: ${err.message}`));
    }),
  };
  live.add(proc);
  // Never let a supervised child keep the event loop (and jest) alive.
  child.unref();
  return proc;
}

/** SIGTERM, then SIGKILL if the process has not exited after `timeoutMs`. */
export async function stopProc(p: Proc, timeoutMs = 10_000): Promise<number | string> {
  if (p.exitStatus !== undefined || p.child.pid === undefined) return p.exited;
  try {
    p.child.kill('SIGTERM');
  } catch {
    /* already gone */
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([p.exited, timedOut]);
  if (timer) clearTimeout(timer);
  if (first !== 'timeout') return first;
  try {
    p.child.kill('SIGKILL');
  } catch {
    /* already gone */
  }
  return p.exited;
}

/** The last `lines` lines of a log file ('' if it cannot be read). */
export function tail(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '';
  }
}
