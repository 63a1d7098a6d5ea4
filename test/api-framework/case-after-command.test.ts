import { CaseNotReadBack, caseAfterCommand, type ReadCase } from '../../api/case-after-command';
import { orUnavailable } from '../../api/case-service';
import type { CaseState } from '../../domain/case-state';
import { fold } from '../../domain/evolve';
import { opened } from '../domain/support';

/**
 * The case a command answers with: from the workflow's answer (runs begun before
 * `slim-command-result`), else from the read model, which must already be at the answer's version.
 */
const state = fold(opened())!;
const at = (version: number): CaseState => ({ ...state, version });
const reads = (s: CaseState | null): ReadCase => async () => s;

test('an answer with the whole case (a run begun before slim-command-result) is taken as it is, without a read', async () => {
  const readCase = jest.fn(reads(null));
  await expect(caseAfterCommand('case-1', { state: at(3), duplicate: true }, readCase)).resolves.toEqual({ version: 3, duplicate: true, state: at(3) });
  expect(readCase).not.toHaveBeenCalled();
});

test('an answer with a version reads the case from the read model, at that version or later', async () => {
  await expect(caseAfterCommand('case-1', { version: 3, duplicate: false }, reads(at(3)))).resolves.toEqual({ version: 3, duplicate: false, state: at(3) });
  // A schedule step or another command recorded since: newer is fine, it holds this command too.
  await expect(caseAfterCommand('case-1', { version: 3, duplicate: false }, reads(at(5)))).resolves.toMatchObject({ version: 3, state: { version: 5 } });
});

test('a read model older than the answer, missing, or unreadable is refused rather than shown, as a 503 that does not claim nothing changed', async () => {
  for (const readCase of [reads(at(2)), reads(null), async () => Promise.reject(new Error('ECONNREFUSED'))]) {
    const outcome = caseAfterCommand('case-1', { version: 3, duplicate: false }, readCase);
    await expect(outcome).rejects.toBeInstanceOf(CaseNotReadBack);
    const problem = orUnavailable(() => caseAfterCommand('case-1', { version: 3, duplicate: false }, readCase));
    await expect(problem).rejects.toMatchObject({ status: 503, detail: expect.stringContaining('the change was recorded') });
  }
});
