import {
  ADMITTED, NOW, RELEASE, ctx, ev, given, history, officer, openInHakte, opened, plusDays, stateOf, tick,
} from './support';

const LATER = '2027-07-01T00:00:00.000Z';

describe('set_release_date', () => {
  const fixedDue = plusDays(NOW, 40);
  const base = history(
    opened({ consent: { agencyIds: ['sot-1480', 'af', 'ngo'] } }), // i1 boende P30D, i2 sysselsattning P14D
    { type: 'add_intervention', area: 'natverk', title: 'Mentor', agencyId: 'ngo', requiredBeforeRelease: true, dueAt: fixedDue }, // i3
    { type: 'add_intervention', area: 'id_handlingar', title: 'ID-kort', agencyId: 'ngo', requiredBeforeRelease: true }, // i4 at release
    { type: 'add_intervention', area: 'annat', title: 'Bibliotekskort', requiredBeforeRelease: false }, // i5 no due
  );

  it('moves the due dates that hang on the release date, and only those', () => {
    const s = given(base).when({ type: 'set_release_date', expectedReleaseAt: LATER, reason: 'Ny beräkning från Kriminalvården' }).then([
      ev('ReleaseDateChanged', { expectedReleaseAt: LATER, previous: RELEASE, reason: 'Ny beräkning från Kriminalvården' }),
    ]);
    expect(s.expectedReleaseAt).toBe(LATER);
    expect(s.interventions.map((i) => [i.interventionId, i.dueAt])).toEqual([
      ['i1', plusDays(LATER, -30)],
      ['i2', plusDays(LATER, -14)],
      ['i3', fixedDue],
      ['i4', LATER],
      ['i5', null],
    ]);
  });

  it('an earlier release date brings them forward', () => {
    const earlier = '2027-04-01T00:00:00.000Z';
    const s = given(base).when({ type: 'set_release_date', expectedReleaseAt: earlier, reason: 'Strafftidsberäkning' }).after();
    expect(s.interventions[0]!.dueAt).toBe(plusDays(earlier, -30));
  });

  it('gives the häkte case its first release date: due dates appear', () => {
    const h = history([], openInHakte());
    expect(stateOf(h).interventions.map((i) => i.dueAt)).toEqual([null, null]);
    const s = given(h).when({ type: 'set_release_date', expectedReleaseAt: RELEASE, reason: 'Dom meddelad' }).then([
      ev('ReleaseDateChanged', { expectedReleaseAt: RELEASE, previous: null, reason: 'Dom meddelad' }),
    ]);
    expect(s.interventions.map((i) => i.dueAt)).toEqual([plusDays(RELEASE, -30), plusDays(RELEASE, -14)]);
  });

  it('the same date again records nothing', () => {
    given(base).when({ type: 'set_release_date', expectedReleaseAt: RELEASE, reason: 'x' }).then([]);
  });

  it('invalid_input expectedReleaseAt when not after admission', () => {
    given(base).when({ type: 'set_release_date', expectedReleaseAt: ADMITTED, reason: 'x' }).then('invalid_input', 'expectedReleaseAt');
  });

  it('invalid_transition once the client is released', () => {
    const released = history(base, { type: 'change_phase', to: 'frigiven' });
    given(released).when({ type: 'set_release_date', expectedReleaseAt: LATER, reason: 'x' }).then('invalid_transition');
  });

  it('only a coordinator sets it', () => {
    given(base).when({ type: 'set_release_date', expectedReleaseAt: LATER, reason: 'x' }, ctx(officer('ngo'))).then('forbidden');
  });

  it('a moved due date re-arms the reminders for the new date', () => {
    const h = history(opened(), { tick: plusDays(RELEASE, -37) }); // P7D reminder of i1 (due RELEASE-30D)
    const sent = stateOf(h).remindersSent;
    expect(sent).toEqual([`i1@${plusDays(RELEASE, -30)}/P7D`]);
    const moved = given(h).when({ type: 'set_release_date', expectedReleaseAt: LATER, reason: 'x' }, ctx(undefined, plusDays(RELEASE, -37))).after();
    const { events } = tick(moved, plusDays(LATER, -37));
    expect(events.filter((e) => e.type === 'ReminderSent').map((e) => e.data)).toEqual([
      { reminderId: `i1@${plusDays(LATER, -30)}/P7D`, interventionId: 'i1', agencyId: 'sot-1480', dueAt: plusDays(LATER, -30), before: 'P7D' },
    ]);
  });
});
