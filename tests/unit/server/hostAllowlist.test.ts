/** Host allowlist (DNS rebinding, issue 11.2) and the sign-in redirect target (issue 11.11), table-driven. */
import assert from 'node:assert/strict';
import { hostAllowed, sameOriginPath } from '../../../server/src/http/security';

test('hostAllowed: loopback by default, the bind address, ALLOWED_HOSTS; everything else refused', () => {
  const cfg = { host: '127.0.0.1', allowedHosts: ['cxr.hospital.example', 'viewer.example:8443', '[fd00::5]'] };
  const yes = [
    'localhost',
    'localhost:3000',
    'LocalHost:1',
    'localhost.',
    '127.0.0.1',
    '127.0.0.1:80',
    '127.8.9.10:3000',
    '[::1]',
    '[::1]:3000',
    'cxr.hospital.example',
    'CXR.hospital.example:3000',
    'viewer.example:8443',
    '[fd00::5]',
    '[fd00::5]:443',
  ];
  const no = [
    undefined,
    '',
    'attacker.example',
    'attacker.example:3000',
    'localhost.attacker.example',
    '127.0.0.1.nip.io',
    'viewer.example',
    'viewer.example:8444',
    'localhost:3000@evil',
    'local host',
    '::1',
    '[::2]',
    '0.0.0.0',
    '10.0.0.1',
    'cxr.hospital.example.attacker.example',
    'xn--lcalhost',
  ];
  for (const h of yes) assert.equal(hostAllowed(h, cfg), true, String(h));
  for (const h of no) assert.equal(hostAllowed(h, cfg), false, String(h));
  assert.equal(hostAllowed('10.0.0.7:3000', { host: '10.0.0.7', allowedHosts: [] }), true, 'the specific bind address');
  assert.equal(
    hostAllowed('0.0.0.0:3000', { host: '0.0.0.0', allowedHosts: [] }),
    false,
    'a wildcard bind adds nothing',
  );
});

test('sameOriginPath: never protocol-relative, never another host; access_token dropped', () => {
  const cases: [string, string][] = [
    ['/.//evil.example/?access_token=x', '/evil.example/'],
    ['//evil.example?access_token=x', '/evil.example'],
    ['/\\\\evil.example?access_token=x', '/evil.example'],
    ['/\\/evil.example/a?b=1&access_token=x', '/evil.example/a?b=1'],
    ['/a/../..//evil.example', '/evil.example'],
    ['/cxr?StudyInstanceUIDs=1.2&access_token=x&x=%2F%2Fe', '/cxr?StudyInstanceUIDs=1.2&x=%2F%2Fe'],
    ['/', '/'],
  ];
  for (const [input, want] of cases) {
    const got = sameOriginPath(input, 'access_token');
    assert.equal(got, want, input);
    assert.equal(new URL(got, 'http://ours.example').host, 'ours.example', input);
  }
});
