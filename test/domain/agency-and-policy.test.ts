import { agencyBodySchema, agencySchema, type Agency } from '../../domain/schemas/agency';
import { resolveAgency } from '../../domain/agency-resolution';
import { defaultPolicyBody, policyBodySchema } from '../../domain/schemas/policy';
import { directory } from './support';

const unit = (agencyId: string, municipalities: string[], type: Agency['type'] = 'socialtjansten'): Agency => ({
  agencyId, type, name: agencyId, municipalities,
});

describe('resolveAgency: the unit of a type serving the client\'s municipality, under consent', () => {
  it.each<[string, Agency[], string[], ReturnType<typeof resolveAgency>]>([
    ['the one local consented unit', [unit('a', ['1480'])], ['a'], { agencyId: 'a' }],
    ['a local unit beats a nation-wide one', [unit('a', ['1480']), unit('n', ['*'])], ['a', 'n'], { agencyId: 'a' }],
    ['nation-wide when there is no local one', [unit('n', ['*']), unit('b', ['1401'])], ['n', 'b'], { agencyId: 'n' }],
    ['none of the type', [unit('a', ['1480'], 'regionen')], ['a'], { agencyId: null, why: 'none' }],
    ['none serving the municipality', [unit('b', ['1401'])], ['b'], { agencyId: null, why: 'none' }],
    ['a retired unit serves nobody', [unit('r', [])], ['r'], { agencyId: null, why: 'none' }],
    ['two consented local units: not guessed at', [unit('a', ['1480']), unit('c', ['1480', '1401'])], ['a', 'c'], { agencyId: null, why: 'ambiguous' }],
    ['two consented nation-wide units: not guessed at', [unit('n', ['*']), unit('m', ['*'])], ['n', 'm'], { agencyId: null, why: 'ambiguous' }],
    ['one of two local units consented', [unit('a', ['1480']), unit('c', ['1480'])], ['c'], { agencyId: 'c' }],
    ['no consent for the serving unit', [unit('a', ['1480'])], [], { agencyId: null, why: 'no_consent' }],
    ['no consent for the local nor the nation-wide unit', [unit('a', ['1480']), unit('n', ['*'])], ['x'], { agencyId: null, why: 'no_consent' }],
  ])('%s', (_what, dir, consent, expected) => {
    expect(resolveAgency(dir, 'socialtjansten', '1480', consent)).toEqual(expected);
  });

  it('the test directory resolves every agency type the default policy needs in Göteborg', () => {
    const consent = directory.map((a) => a.agencyId);
    expect(resolveAgency(directory, 'socialtjansten', '1480', consent)).toEqual({ agencyId: 'sot-1480' });
    expect(resolveAgency(directory, 'regionen', '1401', consent)).toEqual({ agencyId: 'reg-vg' });
    expect(resolveAgency(directory, 'arbetsformedlingen', '0180', consent)).toEqual({ agencyId: 'af' });
    expect(resolveAgency(directory, 'frivarden', '1490', consent)).toEqual({ agencyId: 'frv-boras' });
  });
});

describe('agency schemas', () => {
  it('accepts four-digit kommunkoder and "*"', () => {
    expect(agencyBodySchema.safeParse({ type: 'ideell', name: ' Stadsmissionen ', municipalities: ['1480', '*'] })).toMatchObject({
      success: true, data: { name: 'Stadsmissionen' },
    });
    expect(agencySchema.safeParse({ agencyId: 'sot-1480', type: 'socialtjansten', name: 'x', municipalities: [] }).success).toBe(true);
  });

  it.each([
    [{ type: 'socialtjansten', name: 'x', municipalities: ['148'] }],
    [{ type: 'kommunen', name: 'x', municipalities: [] }],
    [{ type: 'socialtjansten', name: '  ', municipalities: [] }],
  ])('refuses %j', (body) => {
    expect(agencyBodySchema.safeParse(body).success).toBe(false);
  });

  it('refuses an agency id with spaces', () => {
    expect(agencySchema.safeParse({ agencyId: 'a b', type: 'ideell', name: 'x', municipalities: [] }).success).toBe(false);
  });
});

describe('policy as data', () => {
  it('the default policy is DOMAIN.md\'s sensible default', () => {
    expect(defaultPolicyBody.requirements.map((r) => [r.area, r.agencyType, r.appliesWhen, r.requiredBeforeRelease, r.dueBeforeRelease])).toEqual([
      ['boende', 'socialtjansten', 'always', true, 'P30D'],
      ['missbruk', 'regionen', 'need', true, 'P14D'],
      ['psykisk_halsa', 'regionen', 'need', true, 'P14D'],
      ['sysselsattning', 'arbetsformedlingen', 'always', true, 'P14D'],
      ['forsorjning', 'socialtjansten', 'need', true, 'P7D'],
      ['skulder', 'kronofogden', 'need', false, 'P7D'],
    ]);
    expect(defaultPolicyBody.reminders).toEqual(['P7D', 'P1D']);
    expect(defaultPolicyBody.escalation).toEqual({ level2After: 'P3D' });
    expect(defaultPolicyBody.followUps).toEqual({
      high: ['P1D', 'P7D', 'P14D', 'P30D', 'P60D', 'P100D'], medium: ['P7D', 'P30D', 'P100D'], low: ['P30D', 'P100D'],
    });
    expect(defaultPolicyBody.milestones).toEqual({
      planAdoptedWithin: 'P30D', planAdoptedWithinShortStay: 'P14D', shortStayRemaining: 'P2M', planReviewEvery: 'P4M',
      successorNamedBeforeRelease: 'P30D', meetingBeforeRelease: 'P14D',
    });
  });

  it('fills in reminders, escalation and milestones when left out, and accepts seconds', () => {
    const p = policyBodySchema.parse({
      requirements: [{ area: 'boende', appliesWhen: { minRisk: 'high' }, agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT20S', title: 'x' }],
      followUps: { high: ['PT2S'], medium: [], low: [] },
    });
    expect(p.reminders).toEqual(['P7D', 'P1D']);
    expect(p.escalation.level2After).toBe('P3D');
    expect(p.milestones.planAdoptedWithin).toBe('P30D');
    expect(p.requirements[0]!.dueBeforeRelease).toBe('PT20S');
  });

  it.each([
    ['a duration that is not ISO 8601', { dueBeforeRelease: '30 days' }],
    ['an unknown area', { area: 'bostad' }],
    ['an unknown agency type', { agencyType: 'kommunen' }],
    ['an unknown applicability', { appliesWhen: 'sometimes' }],
  ])('refuses %s', (_what, patch) => {
    const req = { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P30D', title: 'x', ...patch };
    expect(policyBodySchema.safeParse({ requirements: [req], followUps: { high: [], medium: [], low: [] } }).success).toBe(false);
  });
});
