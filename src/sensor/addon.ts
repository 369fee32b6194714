/**
 * Loads the native addon. When it was not built (no clang, libbpf or bpftool on this machine,
 * see scripts/build-native.mjs) the sensor is off and says why; the rest of reachgraph works.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SensorError } from '../errors.js';
import { projectRoot } from '../paths.js';
import type { NativeError, NativeModule } from './native.js';

let cached: NativeModule | undefined;

/** Where build-native.mjs writes the reason the addon was not built. */
export function sensorOffReasonFile(): string {
  return path.join(projectRoot(), 'native', 'build', 'SENSOR_OFF.txt');
}

export function addonPath(): string {
  return path.join(projectRoot(), 'native', 'build', 'Release', 'reachgraph_sensor.node');
}

/** The addon, or a SensorError (code SENSOR_UNAVAILABLE) naming why it is missing. */
export function loadAddon(): NativeModule {
  if (cached) return cached;
  const file = addonPath();
  if (!fs.existsSync(file)) {
    const off = sensorOffReasonFile();
    const why = fs.existsSync(off) ? fs.readFileSync(off, 'utf8').trim() : 'the native addon was not built (run: node scripts/build-native.mjs)';
    throw new SensorError(`the runtime sensor is off: ${why}`, { code: 'SENSOR_UNAVAILABLE' });
  }
  try {
    cached = createRequire(import.meta.url)(file) as NativeModule;
  } catch (e) {
    throw new SensorError(`the runtime sensor is off: cannot load ${file}: ${(e as Error).message}`, { code: 'SENSOR_UNAVAILABLE', cause: e });
  }
  return cached;
}

/** Turns the addon's start() error into a SensorError with its errno, step and hint. */
export function toSensorError(e: unknown): SensorError {
  const n = e as Partial<NativeError>;
  if (e instanceof Error && typeof n.code === 'string' && n.code.startsWith('SENSOR_')) {
    const err = new SensorError(e.message, { code: n.code, errno: n.errno, cause: e });
    return err;
  }
  if (e instanceof TypeError) return new SensorError(e.message, { code: 'SENSOR_BAD_OPTIONS', cause: e });
  return new SensorError(`sensor: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}
