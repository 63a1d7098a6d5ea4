import type { z } from 'zod';
import { domainEventSchema } from '../../domain/schemas/events';
import { FREE_TEXT_FIELDS, SKELETON_STRINGS } from '../../domain/free-text';

/**
 * Every string an event can carry is classified: typed text (sealed in the log, erased with the
 * client) or skeleton (ids, times, durations). A new field that is neither fails here, so a text
 * cannot reach the log unsealed by being forgotten. Policy bodies are the administrators' data.
 */
type Schema = z.ZodType & { def: { type: string; innerType?: Schema; element?: Schema; shape?: Record<string, Schema> } };

function strings(schema: Schema, path: string[], out: string[][]): void {
  const t = schema.def.type;
  if (t === 'optional' || t === 'nullable' || t === 'default') return strings(schema.def.innerType!, path, out);
  if (t === 'string') out.push(path);
  if (t === 'array') strings(schema.def.element!, path, out);
  if (t === 'object') {
    for (const [k, v] of Object.entries((schema as unknown as z.ZodObject).shape as Record<string, Schema>)) {
      if (k !== 'policy') strings(v, [...path, k], out);
    }
  }
}

const events = domainEventSchema.options.map((o) => {
  const shape = o.shape as unknown as { type: { value: string }; data: Schema };
  const found: string[][] = [];
  strings(shape.data, [], found);
  return { type: shape.type.value, strings: found };
});

test.each(events.map((e) => [e.type, e] as const))('%s: every string field is typed text or skeleton', (_type, e) => {
  const text = (FREE_TEXT_FIELDS as Record<string, readonly string[]>)[e.type];
  expect(text).toBeDefined();
  const unclassified = e.strings.filter((p) => !(p.length === 1 && text!.includes(p[0]!)) && !(SKELETON_STRINGS as readonly string[]).includes(p[p.length - 1]!));
  expect(unclassified).toEqual([]);
  // And every listed text field is a top-level string of the event (what sealData seals).
  for (const f of text!) expect(e.strings).toContainEqual([f]);
});

test('every event type is listed, and no other', () => {
  expect(Object.keys(FREE_TEXT_FIELDS).sort()).toEqual(events.map((e) => e.type).sort());
});
