// Jest orders files by their last duration, and by size on a fresh machine (CI): the cluster
// suite (the profile and its faults) is a small file that runs for minutes, so it would start
// last and the run would wait for it alone. Started first, it shares the time with the rest
// (it first waits for the Temporal server build that npm test runs in the background).
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = [/\/test\/cluster\//];
const rank = (test) => {
  const i = FIRST.findIndex((re) => re.test(test.path));
  return i < 0 ? FIRST.length : i;
};

class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = LongestFirst;
