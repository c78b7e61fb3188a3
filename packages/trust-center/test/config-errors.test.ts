import { describe, expect, it } from 'vitest';
import { formatProblem, safeParseTrustYaml } from '../src/config/index.js';
import { fixture, NOW } from './helpers.js';

function problems(source: string): string {
  const result = safeParseTrustYaml(source, { now: NOW, file: 'trust.yaml' });
  const list = result.ok ? result.warnings : [...result.errors, ...result.warnings];
  return list.map(formatProblem).join('\n');
}

const minimal = fixture('minimal.yaml');

describe('friendly config errors', () => {
  it('accepts the minimal config', () => {
    const result = safeParseTrustYaml(minimal, { now: NOW });
    expect(result.ok).toBe(true);
  });

  it('points at a missing required key', () => {
    expect(problems(minimal.replace('  name: Tidewell\n', ''))).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:2:1
        organisation.name: Missing required key "name".
        hint: Add "name:" under "organisation"."
    `);
  });

  it('suggests the nearest key for a typo', () => {
    expect(problems(minimal.replace('  website:', '  websiet:'))).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:2:1
        organisation.website: Missing required key "website".
        hint: Add "website:" under "organisation".
      error ERR_TRUST_CONFIG_INVALID at trust.yaml:4:3
        organisation.websiet: Unknown key "websiet".
        hint: Did you mean "website"?"
    `);
  });

  it('suggests the nearest enum value', () => {
    const src = `${minimal}controls:\n  sections:\n    - id: infra\n      title: Infrastructure\n      items:\n        - title: TLS everywhere\n          status: in-place\n`;
    expect(problems(src)).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:16:19
        controls.sections[0].items[0].status: "in-place" is not allowed here.
        hint: Did you mean "in_place"? Use one of: in_place, in_progress, planned, not_pursued, not_applicable."
    `);
  });

  it('explains a bad date', () => {
    const src = `${minimal}subprocessors:\n  entries:\n    - name: Nimbus\n      purpose: Hosting\n      locations: [Ireland]\n      effective_from: next month\n`;
    expect(problems(src)).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:15:23
        subprocessors.entries[0].effective_from: Expected a date in the form YYYY-MM-DD. Got "next month".
        hint: Write dates as YYYY-MM-DD, e.g. 2026-03-31. Quote them if your editor rewrites them."
    `);
  });

  it('explains a string where a list belongs', () => {
    const src = `${minimal}subprocessors:\n  entries:\n    - name: Nimbus\n      purpose: Hosting\n      locations: Ireland\n      effective_from: 2026-01-01\n`;
    expect(problems(src)).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:14:18
        subprocessors.entries[0].locations: Expected a list, got the text "Ireland".
        hint: Write a list: start each item on its own line with "- "."
    `);
  });

  it('reports YAML syntax errors with a position', () => {
    expect(problems(`${minimal}highlights:\n  - title: "TLS\n`)).toMatchInlineSnapshot(`
      "error ERR_TRUST_YAML_SYNTAX at trust.yaml:12:1
        (root): Missing closing "quote
        hint: Check the indentation and quoting around this line."
    `);
  });

  it('reports a wrong schema_version', () => {
    expect(problems(minimal.replace('schema_version: 1', 'schema_version: 2'))).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_INVALID at trust.yaml:1:17
        schema_version: 2 is not allowed here.
        hint: Use one of: 1."
    `);
  });

  it('runs cross-field rules after the shape is valid', () => {
    const src = `${minimal}subprocessors:\n  entries:\n    - name: Nimbus\n      purpose: Hosting\n      locations: [Ireland]\n      announced_at: 2026-03-01\n      effective_from: 2026-02-01\n      ended_at: 2026-01-01\ncompliance:\n  frameworks:\n    - framework: soc2_type2\n      status: certified\n    - framework: custom\n      status: planned\n`;
    expect(problems(src)).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_RULE at trust.yaml:15:21
        subprocessors.entries[0].announced_at: announced_at (2026-03-01) is after effective_from (2026-02-01).
        hint: Customers must hear about a sub-processor before it starts.
      error ERR_TRUST_CONFIG_RULE at trust.yaml:17:17
        subprocessors.entries[0].ended_at: ended_at (2026-01-01) is before effective_from (2026-02-01).
      error ERR_TRUST_CONFIG_RULE at trust.yaml:20:7
        compliance.frameworks[0].period: A certified SOC 2 Type II needs its audit period.
        hint: Add period: { start: YYYY-MM-DD, end: YYYY-MM-DD }.
      error ERR_TRUST_CONFIG_RULE at trust.yaml:22:7
        compliance.frameworks[1].name: A custom framework needs a name.
        hint: Add name: "…" with the framework's display name."
    `);
  });

  it('requires a security.txt contact', () => {
    expect(problems(minimal.replace('  contacts:\n    security: security@tidewell.example\n', ''))).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_RULE at trust.yaml:6:1
        disclosure.security_txt.contact: security.txt needs at least one contact (RFC 9116 §2.5.3).
        hint: Set organisation.contacts.security or disclosure.security_txt.contact."
    `);
  });

  it('refuses a logo that would be a third-party request', () => {
    expect(problems(minimal.replace('  trust_url:', '  logo: https://cdn.example.net/logo.svg\n  trust_url:'))).toMatchInlineSnapshot(`
      "error ERR_TRUST_CONFIG_RULE at trust.yaml:5:9
        organisation.logo: The logo is on another origin; loading it would be a third-party request from the trust center.
        hint: Put the file in public/ next to the config and write logo: /logo.svg."
    `);
  });

  it('never exposes a raw ZodError', () => {
    const result = safeParseTrustYaml('schema_version: 1\norganisation: 3\n', { now: NOW });
    expect(result.ok).toBe(false);
    if (!result.ok) for (const e of result.errors) expect(e.message).not.toMatch(/ZodError|"code":/);
  });
});
