import { isLoopbackHost } from '../../config/loopback';

test.each([
  ['127.0.0.1', true], ['127.1.2.3', true], ['::1', true], ['[::1]', true], ['0:0:0:0:0:0:0:1', true], ['localhost', true], ['LOCALHOST', true],
  ['0.0.0.0', false], ['::', false], ['192.168.1.2', false], ['localhost.example.org', false], ['127.0.0.1.nip.io', false],
])('isLoopbackHost(%s) is %s', (host, expected) => {
  expect(isLoopbackHost(host)).toBe(expected);
});
