/**
 * Heap in use after a full garbage collection: what a run *kept*, not what it had not yet freed.
 * A bound on the peak of `heapUsed` measures when the collector last ran (it failed a CI run at
 * +633 MB of garbage that was all collectable); a bound on the retained heap measures a leak.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

export function retainedHeap(): number {
  if (!gc) {
    // The flag must be set before a context is made; the new context then exposes `gc`.
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
