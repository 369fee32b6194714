/**
 * What `npm test`'s set-up (scripts/test.mjs) could not provide on this machine, and whether the suites
 * that need it run. A suite skips only when the set-up said its step cannot run here (not root, no apt-get,
 * no network to the registries, a kernel without BTF): where the set-up could provide it, a missing
 * capability is a failure, so a machine that can run every suite (CI, as root) never skips one.
 */
import { loadAddon } from '../../src/sensor/addon.js';

/** Why set-up step `step` (e.g. "50-sensor") could not run here, or undefined when it ran or was not asked. */
export function setupSkipped(step: string): string | undefined {
  const raw = process.env.REACHGRAPH_SETUP_SKIPPED;
  if (!raw) return undefined;
  try {
    const reason = (JSON.parse(raw) as Record<string, unknown>)[step];
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the eBPF sensor suites cannot run here, or undefined when they must. Needs root; without the
 * addon they skip only when the set-up could not build it here, else they run and fail naming why.
 */
export function sensorUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'the eBPF sensor needs root (CAP_BPF + CAP_PERFMON); CI runs as root';
  const setup = setupSkipped('50-sensor');
  if (setup === undefined) return undefined;
  try {
    loadAddon();
    return undefined;
  } catch (e) {
    return `${(e as Error).message} (set-up step 50-sensor could not run here: ${setup})`;
  }
}
