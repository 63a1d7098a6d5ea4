import { useState } from 'preact/hooks';
import { api } from '../api';
import { Loading, Notice, Page } from '../components/ui';
import { formatNumber } from '../format';
import { simulationFailure, type SimulationField } from '../simulation-errors';
import type { PolicySummary, SimulationRequest, SimulationResult } from '../types';
import { useApi } from '../use-api';
import { SimulationForm } from './simulation-form';
import { SimulationResults } from './simulation-results';

type Run =
  | { state: 'idle' }
  | { state: 'running'; request: SimulationRequest }
  | { state: 'done'; result: SimulationResult }
  | { state: 'failed'; message: string; fields: Partial<Record<SimulationField, string>> };

const NO_FIELDS: Partial<Record<SimulationField, string>> = {};

const runningText = (r: SimulationRequest) =>
  `Simuleringen körs: ${formatNumber(r.releases ?? 6731)} frigivningar, ${r.compare ? 'två policyer' : 'en policy'}. ` +
  'Ett helt år kan ta upp till en minut.';

/**
 * Issue 19's what-if for a regional steering group (POST /v1/simulations): a policy, and
 * optionally one to compare, over a simulated year of releases; the figures side by side.
 */
export function SimulationPage() {
  const policies = useApi<{ items: PolicySummary[] }>('/v1/policies');
  const [run, setRun] = useState<Run>({ state: 'idle' });

  const start = async (request: SimulationRequest) => {
    setRun({ state: 'running', request });
    try {
      const result = await api<SimulationResult>('POST', '/v1/simulations', { body: request });
      // The API names a pasted policy after its field; people know it as their own draft.
      const named = typeof request.compare === 'object'
        ? { ...result, reports: result.reports.map((r, i) => (i === 1 ? { ...r, label: 'Egen policy' } : r)) }
        : result;
      setRun({ state: 'done', result: named });
    } catch (err) {
      // Shown as an alert, which a screen reader reads at once.
      setRun({ state: 'failed', ...simulationFailure(err) });
    }
  };

  return (
    <Page title="Simulering">
      <p class="lead">
        Vad händer med glappen om reglerna ändras? Simuleringen kör produktens egna regler över ett år av påhittade frigivningar, formade efter
        Brås siffror, utan att något riktigt ärende berörs. Med en jämförelse möter båda policyerna samma klienter och samma svar från
        myndigheterna, så att skillnaden beror på reglerna.
      </p>
      {policies.error ? <Notice kind="error">Policyerna kunde inte hämtas. {policies.error.message}</Notice> : null}
      {!policies.data && !policies.error ? (
        <Loading what="Hämtar policyer" />
      ) : (
        <SimulationForm
          policies={policies.data?.items ?? []}
          busy={run.state === 'running'}
          refused={run.state === 'failed' ? run.fields : NO_FIELDS}
          onRun={(r) => void start(r)}
        />
      )}
      <div role="status" aria-live="polite" class="simulation-status">
        {run.state === 'running' ? <p class="loading">{runningText(run.request)}</p> : null}
        {run.state === 'done' ? <p>Simuleringen är klar. Resultatet visas nedan.</p> : null}
      </div>
      {run.state === 'failed' ? <Notice kind="error">{run.message}</Notice> : null}
      {run.state === 'done' ? <SimulationResults result={run.result} /> : null}
    </Page>
  );
}
