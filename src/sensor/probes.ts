/** The probe families, in a module of their own: the CLI names them in its help without loading the sensor. */
import type { NativeProbe } from './native.js';

/** Every probe family the addon can attach, in the order `--probes` lists them. */
export const PROBES: readonly NativeProbe[] = ['exec', 'net', 'dns', 'files'];
