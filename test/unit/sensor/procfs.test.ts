import { kernelDevOf, parseStat, startTicksFromNs } from '../../../src/sensor/procfs.js';

describe('procfs parsing', () => {
  test('given a comm with spaces and parentheses, then ppid and start time are read after the last ")"', () => {
    const line = '4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 100 18446744073709551615';
    expect(parseStat(line)).toEqual({ pid: 4242, ppid: 17, comm: 'my (odd) name', startTicks: '123456' });
  });

  test('kernel start ns floors to the same clock tick /proc reports', () => {
    expect(startTicksFromNs('1234567890123')).toBe('123456');
    expect(startTicksFromNs('9999999')).toBe('0');
  });

  test('stat() device numbers convert to the kernel encoding events carry', () => {
    // major 254, minor 0 (a virtio disk): glibc 0xfe00, kernel 254 << 20
    expect(kernelDevOf(0xfe00n)).toBe(254 << 20);
    // major 8, minor 300: glibc puts the high minor bits at 12..
    expect(kernelDevOf((8n << 8n) | (300n & 0xffn) | ((300n & ~0xffn) << 12n))).toBe((8 << 20) | 300);
  });
});
