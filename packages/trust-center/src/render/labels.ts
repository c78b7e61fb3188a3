/** Human labels for every status value the pages show. */
export const STATUS_LABELS: Readonly<Record<string, string>> = {
  in_place: 'In place',
  in_progress: 'In progress',
  planned: 'Planned',
  not_pursued: 'Not pursued',
  not_applicable: 'Not applicable',
  certified: 'Certified',
  compliant: 'Compliant',
  expired: 'Expired',
  upcoming: 'Upcoming',
  current: 'Current',
  ended: 'Ended',
  public: 'Public',
  on_request: 'On request',
  nda: 'Under NDA',
};

/** The tone of a status: good, pending, negative or neutral. Drives colour, never meaning. */
export function statusTone(status: string): 'good' | 'pending' | 'bad' | 'neutral' {
  if (['in_place', 'certified', 'compliant', 'current'].includes(status)) return 'good';
  if (['in_progress', 'planned', 'upcoming'].includes(status)) return 'pending';
  if (['expired', 'not_pursued'].includes(status)) return 'bad';
  return 'neutral';
}

export const TRANSFER_LABELS: Readonly<Record<string, string>> = {
  none_needed: 'None needed',
  adequacy_decision: 'Adequacy decision',
  eu_sccs: 'EU SCCs',
  uk_idta: 'UK IDTA',
  uk_addendum: 'UK Addendum to the SCCs',
  eu_us_dpf: 'EU-US Data Privacy Framework',
  bcrs: 'Binding corporate rules',
  other: 'Other',
};

export const CATEGORY_LABELS: Readonly<Record<string, string>> = {
  compliance: 'Compliance',
  security: 'Security',
  privacy: 'Privacy',
  incident: 'Incident',
  roadmap: 'Roadmap',
  subprocessors: 'Sub-processors',
  general: 'General',
};

/** Human label for a snake_case value without an entry above. */
export function humanise(value: string): string {
  return STATUS_LABELS[value] ?? value.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}
