import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { clientFacts } from '../client-text';
import { Badge, Button, Loading, Notice, Page, SelectField, Time } from '../components/ui';
import { ESTIMATE_NOTE, MEASURES, PHASES, RISK_LEVELS, label } from '../labels';
import { Link, navigate, useLocation } from '../router';
import type { CaseSummary } from '../types';
import { useApiList } from '../use-api';

const WITHIN: Record<string, { days: number; text: string }> = {
  '12': { days: 84, text: 'inom 12 veckor' },
  '24': { days: 168, text: 'inom 24 veckor' },
};

const casesText = (n: number) => `${n} ${n === 1 ? 'ärende' : 'ärenden'}`;

/** The coordinator's list: filters live in the address (`?fas=anstalt&inom=12&glapp=ja`), so a view can be shared. */
export function CaseListPage() {
  const { session, agencyName, announce } = useApp();
  const { query } = useLocation();
  const [phase, setPhase] = useState(query.get('fas') ?? '');
  const [within, setWithin] = useState(query.get('inom') ?? '');
  const [gaps, setGaps] = useState(query.get('glapp') ?? '');

  const params = new URLSearchParams();
  const applied = { phase: query.get('fas') ?? '', within: query.get('inom') ?? '', gaps: query.get('glapp') ?? '' };
  if (applied.phase) params.set('phase', applied.phase);
  if (applied.within && WITHIN[applied.within]) params.set('releaseWithinDays', String(WITHIN[applied.within]?.days));
  if (applied.gaps) params.set('hasGaps', applied.gaps === 'ja' ? 'true' : 'false');
  const list = useApiList<CaseSummary>(`/v1/cases${params.size ? `?${params}` : ''}`);

  useEffect(() => {
    if (!list.loading && list.data) announce(`${casesText(list.data.items.length)} visas.`, { quiet: true });
  }, [list.loading]); // once per completed search

  const search = query.toString();
  useEffect(() => {
    // Back and forward restore the filters of that address.
    setPhase(applied.phase);
    setWithin(applied.within);
    setGaps(applied.gaps);
  }, [search]);

  const filter = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (phase) q.set('fas', phase);
    if (within) q.set('inom', within);
    if (gaps) q.set('glapp', gaps);
    navigate(`/arenden${q.size ? `?${q}` : ''}`);
  };

  const items = list.data?.items ?? [];
  return (
    <Page
      title="Ärenden"
      actions={
        session.role === 'coordinator' ? (
          <Link href="/arenden/nytt" class="btn btn-primary">
            Öppna nytt ärende
          </Link>
        ) : null
      }
    >
      <form class="filters" onSubmit={filter} aria-label="Filtrera ärenden">
        <SelectField id="filter-fas" label="Fas" value={phase} onValue={setPhase} filter placeholder="Alla faser" options={Object.entries(PHASES)} />
        <SelectField
          id="filter-frigivning"
          label="Frigivning"
          value={within}
          onValue={setWithin}
          filter
          placeholder="När som helst"
          options={Object.entries(WITHIN).map(([k, v]) => [k, v.text] as const)}
        />
        <SelectField
          id="filter-glapp"
          label="Glapp"
          value={gaps}
          onValue={setGaps}
          filter
          placeholder="Med eller utan glapp"
          options={[
            ['ja', 'Bara ärenden med glapp'],
            ['nej', 'Bara ärenden utan glapp'],
          ]}
        />
        <Button type="submit" kind="secondary">
          Filtrera
        </Button>
      </form>
      {list.error ? <Notice kind="error">{list.error.message}</Notice> : null}
      {list.loading && !list.data ? <Loading what="Hämtar ärenden" /> : null}
      {list.data ? (
        items.length === 0 ? (
          <p>Inga ärenden matchar filtret.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>
                {casesText(items.length)}{applied.within ? `, frigivning ${WITHIN[applied.within]?.text}` : ''}
                {applied.phase ? `, fas ${label(PHASES, applied.phase).toLowerCase()}` : ''}
                {applied.gaps === 'ja' ? ', med glapp' : applied.gaps === 'nej' ? ', utan glapp' : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Klient</th>
                  <th scope="col">Fas</th>
                  <th scope="col">Risknivå</th>
                  <th scope="col">Planerad frigivning</th>
                  <th scope="col">Glapp</th>
                  <th scope="col">Samordnas av</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.caseId}>
                    <th scope="row">
                      <Link href={`/arenden/${encodeURIComponent(c.caseId)}`}>{c.client.name || 'Namn saknas'}</Link>
                      <span class="muted block">{clientFacts(c.client)}</span>
                    </th>
                    <td>
                      {label(PHASES, c.phase)}
                      {c.measure ? <span class="muted block">{label(MEASURES, c.measure)}</span> : null}
                    </td>
                    <td>{label(RISK_LEVELS, c.riskLevel)}</td>
                    <td>
                      {c.releasedAt ? <>Frigiven <Time iso={c.releasedAt} /></> : <Time iso={c.expectedReleaseAt} relative />}
                      {!c.releasedAt && c.releaseDateSource === 'estimate' ? <span class="muted block">{ESTIMATE_NOTE}</span> : null}
                    </td>
                    <td>{c.openGapCount > 0 ? <Badge kind="danger">{c.openGapCount} öppna glapp</Badge> : <Badge kind="ok">Inga glapp</Badge>}</td>
                    <td>{agencyName(c.coordinatorAgencyId)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </Page>
  );
}
