// Jest orders files by their last duration, and by size on a fresh machine (CI): the fault suite
// and the cluster profile's test are small files that run for minutes, so they would start last
// and the run would wait for them alone. Started first, they share the time with the rest.
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = [/\/test\/faults\//, /\/test\/cluster\//];
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
