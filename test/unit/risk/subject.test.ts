import { pickSubject, subjectParams } from '../../../src/risk/subject.js';
import { InputError } from '../../../src/errors.js';

describe('subjects as users type them', () => {
  test('NS/NAME is a pod, NS/KIND/NAME a workload; ARNs, service-account usernames and ids stay whole', () => {
    const none = { ns: null, name: null, kind: null, saNs: null, saName: null };
    expect(subjectParams('agents/support-agent-6d8f7-q2x9z')).toEqual({ ...none, subject: 'agents/support-agent-6d8f7-q2x9z', ns: 'agents', name: 'support-agent-6d8f7-q2x9z' });
    expect(subjectParams('research/cronjob/research-digest')).toEqual({ ...none, subject: 'research/cronjob/research-digest', ns: 'research', kind: 'CronJob', name: 'research-digest' });
    expect(subjectParams('research/Widget/x')).toEqual({ ...none, subject: 'research/Widget/x' });
    expect(subjectParams('arn:aws:iam::111122223333:role/service-role/x')).toEqual({ ...none, subject: 'arn:aws:iam::111122223333:role/service-role/x' });
    expect(subjectParams('system:serviceaccount:agents:support-agent')).toEqual({ ...none, subject: 'system:serviceaccount:agents:support-agent', saNs: 'agents', saName: 'support-agent' });
    expect(subjectParams('  support-agent ')).toEqual({ ...none, subject: 'support-agent' });
    expect(() => subjectParams('  ')).toThrow(InputError);
  });

  test('given no candidate, the error names the subject and the accepted forms', () => {
    expect(() => pickSubject('nope', [])).toThrow(/SUBJECT "nope": no such subject.*NS\/KIND\/NAME/);
  });

  test('given two candidates, the error lists both ids', () => {
    const c = [
      { label: 'K8sPod', id: 'east/ns/web-0', name: 'web-0' },
      { label: 'K8sPod', id: 'west/ns/web-0', name: 'web-0' },
    ];
    expect(() => pickSubject('ns/web-0', c)).toThrow('SUBJECT "ns/web-0" is ambiguous: it names 2 nodes (K8sPod east/ns/web-0; K8sPod west/ns/web-0); give one of these ids instead');
    expect(pickSubject('east/ns/web-0', [c[0]!])).toEqual(c[0]);
  });
});
