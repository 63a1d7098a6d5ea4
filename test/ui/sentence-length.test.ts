import { sentenceLengthText, sentenceLengthToIso } from '../../ui/src/sentence-length';
import { validateOpenCase } from '../../ui/src/open-case-rules';
import { defaultPolicyBody } from '../../domain/schemas/policy';

describe('strafftid as the coordinator writes it', () => {
  it.each([
    ['2 år 6 månader', 'P2Y6M'],
    ['2 år och 6 mån', 'P2Y6M'],
    ['8 mån', 'P8M'],
    ['1 år, 2 veckor', 'P1Y2W'],
    ['14 dagar', 'P14D'],
    ['p2y6m', 'P2Y6M'],
    // Not understood: sent as written, so the API names sentence.length.
    ['tre år', 'tre år'],
    ['2 år 3 år', '2 år 3 år'],
    ['2 år x', '2 år x'],
  ])('%j → %j', (text, iso) => {
    expect(sentenceLengthToIso(text)).toBe(iso);
  });

  it('reads back in Swedish', () => {
    expect(sentenceLengthText('P2Y6M')).toBe('2 år 6 månader');
    expect(sentenceLengthText('P1Y1M1D')).toBe('1 år 1 månad 1 dag');
    expect(sentenceLengthText('PT90S')).toBe('PT90S');
  });
});

describe('the open-case form checks a sentence with the API rules', () => {
  const ctx = {
    actor: { sub: 'c', role: 'coordinator' as const, agencyId: 'kvv' },
    directory: [{ agencyId: 'kvv', type: 'kriminalvarden' as const, name: 'KVV', municipalities: ['*'] }],
    policy: { policyId: 'default', version: 1, body: defaultPolicyBody },
    now: '2026-04-01T08:00:00.000Z',
  };
  const body = (sentence: unknown) => ({
    client: { name: 'K', municipality: '1480' }, phase: 'anstalt', admittedAt: '2026-03-01T00:00:00Z', riskLevel: 'low',
    needs: [], consent: { agencyIds: [] }, sentence,
  });

  it('a sentence in place of the date is enough', () => {
    expect(validateOpenCase(body({ length: 'P2Y6M', startsAt: '2026-03-01', judgmentAt: '2026-02-10' }), ctx)).toEqual([]);
  });

  it('names the field, in Swedish', () => {
    expect(validateOpenCase(body({ length: '2 år', startsAt: '2026-03-01', judgmentAt: '2026-02-10' }), ctx)).toEqual([
      { path: 'sentence.length', message: 'Ange strafftiden som till exempel 2 år 6 månader.' },
    ]);
    expect(validateOpenCase(body({ length: 'P1Y', startsAt: '2024-01-01', judgmentAt: '2023-12-01' }), ctx)).toEqual([
      { path: 'sentence.startsAt', message: 'Den beräknade frigivningen infaller före inskrivningen; kontrollera strafftid och startdatum.' },
    ]);
  });
});
