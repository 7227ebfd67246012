import { describe, expect, it } from 'vitest';
import { malformedPlaceholders, parsePlaceholders, renderTemplate, templateProperties, type Placeholder } from '../../src/core/text-template.js';

const scopes: Record<string, Record<string, string>> = {
  record: { firstname: 'Ada', company: 'Acme' },
  deal: { dealname: 'Big deal' },
};
const resolve = (p: Placeholder): string | undefined => scopes[p.scope ?? 'record']?.[p.property];

describe('renderTemplate', () => {
  it('fills bare names from the default scope', () => {
    expect(renderTemplate('Intro for {{firstname}} at {{company}}', resolve)).toEqual({ text: 'Intro for Ada at Acme', missing: [] });
  });

  it('allows whitespace inside the braces', () => {
    expect(renderTemplate('Hi {{ firstname }} / {{\tcompany\t}}', resolve).text).toBe('Hi Ada / Acme');
  });

  it('reads dotted names from the named scope', () => {
    expect(renderTemplate('{{deal.dealname}} for {{ record.firstname }}', resolve).text).toBe('Big deal for Ada');
  });

  it('renders missing values as empty text and reports each once', () => {
    const out = renderTemplate('{{lastname}}, {{firstname}} {{lastname}} {{deal.amount}}', resolve);
    expect(out.text).toBe(', Ada  ');
    expect(out.missing).toEqual(['lastname', 'deal.amount']);
  });

  it('inserts values literally: braces, ${...} and $-patterns in a value are never expanded', () => {
    const values: Record<string, string> = { firstname: '{{company}}', company: '${HEYGEN_API_KEY} $& $1 $$ $` $\'' };
    const literal = (p: Placeholder) => values[p.property];
    expect(renderTemplate('Hi {{firstname}} of {{company}}', literal)).toEqual({
      text: "Hi {{company}} of ${HEYGEN_API_KEY} $& $1 $$ $` $'",
      missing: [],
    });
    // A value that looks like a placeholder is not reported missing either.
    expect(renderTemplate('{{firstname}}', () => '{{lastname}}')).toEqual({ text: '{{lastname}}', missing: [] });
  });

  it('copies text without placeholders as is, single braces included', () => {
    expect(renderTemplate('a {b} c', resolve)).toEqual({ text: 'a {b} c', missing: [] });
  });
});

describe('templateProperties', () => {
  it('lists distinct names in order of first use', () => {
    expect(templateProperties('{{b}} {{ a }} {{b}} {{deal.dealname}}')).toEqual(['b', 'a', 'deal.dealname']);
  });

  it('is empty for plain text and ignores malformed placeholders', () => {
    expect(templateProperties('no placeholders')).toEqual([]);
    expect(templateProperties('{{first name}} {{}}')).toEqual([]);
  });
});

describe('parsePlaceholders', () => {
  it('splits scope and property', () => {
    expect(parsePlaceholders('{{deal.dealname}}{{x}}')).toEqual([
      { scope: 'deal', property: 'dealname', name: 'deal.dealname' },
      { scope: undefined, property: 'x', name: 'x' },
    ]);
  });
});

describe('malformedPlaceholders', () => {
  it('accepts well-formed templates', () => {
    expect(malformedPlaceholders('Intro for {{ firstname }} at {{deal.dealname}} {not a placeholder}')).toEqual([]);
  });

  it.each([
    ['{{first name}}', 'is not a property name'],
    ['{{}}', 'is not a property name'],
    ['{{a.b.c}}', 'is not a property name'],
    ['Hi {{firstname', 'never closed'],
    ['Hi firstname}}', 'no opening'],
  ])('reports %j', (text, expected) => {
    const problems = malformedPlaceholders(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });
});
