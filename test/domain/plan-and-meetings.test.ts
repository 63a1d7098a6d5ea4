import { NOW, ctx, ev, given, history, officer, opened, plusDays, supervisor } from './support';

const base = opened();

describe('set_responsibility', () => {
  it('names who holds overall responsibility and who takes it over after release', () => {
    const s = given(base).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }).then([
      ev('ResponsibilityChanged', { holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' }),
    ]);
    expect(s.responsibility).toEqual({ holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' });
  });

  it('may clear them', () => {
    const s = given(base).when({ type: 'set_responsibility', holderAgencyId: null, successorAgencyId: null }).after();
    expect(s.responsibility).toEqual({ holderAgencyId: null, successorAgencyId: null });
  });

  it.each([
    [{ holderAgencyId: 'ghost', successorAgencyId: null }, 'holderAgencyId'],
    [{ holderAgencyId: 'kvv', successorAgencyId: 'ghost' }, 'successorAgencyId'],
  ])('invalid_input for an unknown agency (%j → %s)', (body, path) => {
    given(base).when({ type: 'set_responsibility', ...body }).then('invalid_input', path);
  });

  it('only a coordinator names them', () => {
    given(base).when({ type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: null }, ctx(supervisor('kvv'))).then('forbidden');
  });
});

describe('record_client_view', () => {
  it('records the client\'s own view and wishes on the plan', () => {
    const s = given(base).when({ type: 'record_client_view', text: 'Vill flytta till Borås' }).then([
      ev('ClientViewRecorded', { text: 'Vill flytta till Borås' }),
    ]);
    expect(s.clientView).toBe('Vill flytta till Borås');
  });

  it('only a coordinator records it', () => {
    given(base).when({ type: 'record_client_view', text: 'x' }, ctx(officer('af'))).then('forbidden');
  });
});

describe('record_meeting', () => {
  it('records a coordination meeting now, or at a given time, with who took part', () => {
    const at = plusDays(NOW, -1);
    const s = given(base).when({ type: 'record_meeting', at, agencyIds: ['sot-1480', 'af'], note: 'SIP-möte' }).then([
      ev('CoordinationMeetingRecorded', { at, agencyIds: ['sot-1480', 'af'], note: 'SIP-möte' }),
    ]);
    expect(s.meetings).toEqual([{ at, agencyIds: ['sot-1480', 'af'] }]);
    given(base).when({ type: 'record_meeting', agencyIds: [] }).then([ev('CoordinationMeetingRecorded', { at: NOW, agencyIds: [] })]);
  });

  it('invalid_input agencyIds.N for an agency not in the directory', () => {
    given(base).when({ type: 'record_meeting', agencyIds: ['af', 'ghost'] }).then('invalid_input', 'agencyIds.1');
  });

  it('only a coordinator records it', () => {
    given(base).when({ type: 'record_meeting', agencyIds: [] }, ctx(officer('af'))).then('forbidden');
  });
});

describe('the sentence plan (verkställighetsplan)', () => {
  it('is adopted once, at a given time or now', () => {
    const at = plusDays(NOW, -2);
    const s = given(base).when({ type: 'adopt_plan', at }).then([ev('PlanAdopted', { at })]);
    expect(s.plan).toEqual({ adoptedAt: at });
    given(base).when({ type: 'adopt_plan' }).then([ev('PlanAdopted', { at: NOW })]);
  });

  it('conflict when adopted twice: review it instead', () => {
    given(history(base, { type: 'adopt_plan' })).when({ type: 'adopt_plan' }).then('conflict');
  });

  it('is reviewed after adoption', () => {
    const h = history(base, { type: 'adopt_plan', at: plusDays(NOW, -5) });
    const s = given(h).when({ type: 'review_plan' }).then([ev('PlanReviewed', { at: NOW })]);
    expect(s.plan).toEqual({ adoptedAt: plusDays(NOW, -5), reviewedAt: NOW });
    const again = given(history(h, { type: 'review_plan', at: plusDays(NOW, -1) })).when({ type: 'review_plan', at: NOW }).after();
    expect(again.plan.reviewedAt).toBe(NOW);
  });

  it('conflict when reviewed before it is adopted', () => {
    given(base).when({ type: 'review_plan' }).then('conflict');
  });

  it('only a coordinator adopts or reviews it', () => {
    given(base).when({ type: 'adopt_plan' }, ctx(officer('sot-1480'))).then('forbidden');
    given(history(base, { type: 'adopt_plan' })).when({ type: 'review_plan' }, ctx(supervisor('kvv'))).then('forbidden');
  });
});
