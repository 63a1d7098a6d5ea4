import { forecastText } from '../event-text';
import type { Task } from '../types';
import { Badge } from './ui';

type Mark = NonNullable<Task['likelyLate']>;

/**
 * The forecast's warning on a required intervention (issue 19): not an alert, so a warning
 * rather than the overdue danger, with the chance and what it rests on in words.
 */
export function LikelyLate({ mark }: { mark: Mark | null | undefined }) {
  if (!mark) return null;
  return (
    <span class="likely-late">
      <Badge kind="warning">Risk för sen insats</Badge>
      <span class="muted block">{forecastText(mark)}</span>
    </span>
  );
}
