import { addDays, isoDay } from '../config/dates.js';

/**
 * The config `stela-trust init` writes: valid as written, dated from the injected clock, and
 * full of prompts to replace. Every section is present so vendors delete rather than invent.
 */
export function starterConfig(options: { now: Date; name?: string; schemaPath?: string }): string {
  const today = isoDay(options.now);
  const name = options.name ?? 'Example Co';
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  return `# yaml-language-server: $schema=${options.schemaPath ?? './node_modules/@stela/trust-center/schema.json'}
# Your trust center, in one file. Check it with \`stela-trust check trust.yaml\` and build it with
# \`stela-trust build trust.yaml --out dist\`. Replace every example value before publishing.
schema_version: 1

organisation:
  name: ${name}
  legal_entity: ${name} Ltd
  description: One sentence on what your product does and what data it needs to do it.
  website: https://${slug}.example
  trust_url: https://${slug}.example/trust
  contacts:
    security: security@${slug}.example
    privacy: privacy@${slug}.example

highlights:
  - title: TLS 1.2+
    caption: In transit

controls:
  sections:
    - id: infrastructure
      title: Infrastructure
      items:
        - title: Encryption in transit with TLS 1.2 or higher
          status: in_place
          reviewed_at: ${today}
        - title: Single sign-on for customers
          status: planned
          target_date: ${addDays(options.now, 180)}

subprocessors:
  notice_days: 30
  entries:
    - name: Your hosting provider
      purpose: Hosting and storage
      locations: [Ireland]
      effective_from: ${today}
      announced_at: ${addDays(options.now, -30)}

compliance:
  frameworks:
    - framework: gdpr
      status: compliant
    - framework: soc2_type2
      status: planned

data:
  categories:
    - name: Account information
      description: Names and email addresses of your users.
  retention:
    - data_category: Account information
      retention: Life of the account, then 30 days

privacy:
  cookies:
    - name: session
      purpose: Keeps users signed in
      category: strictly_necessary
      duration: 7 days
      party: first

incident_response:
  notification_hours: 72

disclosure:
  policy: Email security@${slug}.example with the details and how to reproduce them. We reply within two business days.
  bug_bounty:
    status: none

questionnaire:
  categories:
    - id: general
      title: General
      questions:
        - question: Do you encrypt data in transit?
          short_answer: 'yes'
          answer: Yes, with TLS 1.2 or higher on every endpoint.
          reviewed_at: ${today}

updates:
  - date: ${today}
    category: general
    title: Trust center launched
    body: This page now lists our controls, sub-processors and compliance status.
`;
}
