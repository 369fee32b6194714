import { parseCgroupPath, serviceOf } from '../../../src/sensor/cgroup.js';

const ID = 'a'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);
const UID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const UID_ = UID.replace(/-/g, '_');

describe('cgroup path -> container and pod', () => {
  test.each([
    ['containerd, systemd driver', `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID_}.slice/cri-containerd-${ID}.scope`, { runtime: 'containerd', containerId: ID, podUid: UID }],
    ['containerd, cgroupfs driver', `/kubepods/besteffort/pod${UID}/${ID}`, { runtime: 'containerd', containerId: ID, podUid: UID }],
    ['CRI-O', `/kubepods.slice/kubepods-pod${UID_}.slice/crio-${ID}.scope`, { runtime: 'cri-o', containerId: ID, podUid: UID }],
    ['CRI-O conmon', `/kubepods.slice/kubepods-pod${UID_}.slice/crio-conmon-${ID}.scope`, { runtime: 'cri-o', containerId: ID, podUid: UID }],
    ['Docker, systemd driver', `/system.slice/docker-${ID}.scope`, { runtime: 'docker', containerId: ID }],
    ['Docker, cgroupfs driver', `/docker/${ID}`, { runtime: 'docker', containerId: ID }],
  ])('given %s, then the container id (and pod UID) are read', (_name, p, want) => {
    expect(parseCgroupPath(p)).toEqual(want);
  });

  test.each([['/'], ['/user.slice/user-0.slice/session-1.scope'], ['/system.slice/ssh.service'], [`/kubepods.slice/kubepods-pod${UID_}.slice`], ['/docker/not-an-id']])('given %s, then it is no container', (p) => {
    expect(parseCgroupPath(p)).toBeUndefined();
  });

  test('given a systemd service cgroup, then the unit is named', () => {
    expect(serviceOf('/system.slice/nginx.service')).toBe('nginx.service');
    expect(serviceOf('/user.slice')).toBeUndefined();
  });
});
