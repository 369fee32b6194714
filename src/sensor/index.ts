/**
 * The runtime sensor's public API (docs/sensor.md). Other modules import from here; the raw
 * addon typings (native.d.ts) stay inside src/sensor/.
 */
export { loadAddon, toSensorError } from './addon.js';
export { Attributor, type PodLookup, type WorkloadKind, type WorkloadRef } from './attribution.js';
export { CgroupResolver, parseCgroupPath, type ContainerRef } from './cgroup.js';
export { ObservationBuilder, endpointId, qtypeName, type WindowSummary } from './observations.js';
export { redactArgv } from './redact.js';
export { DEFAULT_FILE_RULES, FILE_CLASSES, matchRule, parseFileRules, type FileClass, type FileRule } from './rules.js';
export {
  PROBES,
  graphPodLookup,
  recordSensorToFile,
  runSensor,
  runSensorIntoGraph,
  validateProbes,
  type Probe,
  type RecordSink,
  type SensorOptions,
  type SensorRunSummary,
} from './run.js';
