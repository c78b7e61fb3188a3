import { slugify } from '../config/normalise.js';
import type { TrustConfig } from '../config/schema.js';
import { renderMarkdown } from '../render/markdown.js';

/** One entry of the feed, before serialisation. */
export interface FeedEntry {
  id: string;
  date: string;
  category: string;
  title: string;
  html: string;
  link: string;
}

/**
 * The feed's entries, newest first: every update, plus a generated entry for each sub-processor
 * announcement and each ending, so a sub-processor change is never silent (GDPR Art. 28(2)).
 */
export function feedEntries(config: TrustConfig): FeedEntry[] {
  const trust = config.organisation.trust_url.replace(/\/$/, '');
  const entries: FeedEntry[] = config.updates.map((u) => ({
    id: `${trust}/updates/#${u.id}`,
    date: u.date,
    category: u.category,
    title: u.title,
    html: renderMarkdown(u.body),
    link: `${trust}/updates/#${u.id}`,
  }));
  const notice = config.subprocessors.notice_days;
  for (const s of config.subprocessors.entries) {
    const slug = slugify(s.name);
    const where = s.locations.join(', ');
    entries.push({
      id: `${trust}/subprocessors/#${slug}-added-${s.effective_from}`,
      date: s.announced_at ?? s.effective_from,
      category: 'subprocessors',
      title: `Sub-processor added: ${s.name}`,
      html: `<p>${escapeXml(s.name)} (${escapeXml(s.purpose)}; ${escapeXml(where)}) is effective from ${s.effective_from}.${s.announced_at ? ` Objections may be raised until ${new Date(Date.parse(`${s.announced_at}T00:00:00Z`) + notice * 86_400_000).toISOString().slice(0, 10)}.` : ''}</p>`,
      link: `${trust}/subprocessors/#${slug}`,
    });
    if (s.ended_at) {
      entries.push({
        id: `${trust}/subprocessors/#${slug}-ended-${s.ended_at}`,
        date: s.ended_at,
        category: 'subprocessors',
        title: `Sub-processor removed: ${s.name}`,
        html: `<p>${escapeXml(s.name)} stopped processing customer data on ${s.ended_at}.</p>`,
        link: `${trust}/subprocessors/#${slug}`,
      });
    }
  }
  return entries.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id < b.id ? -1 : 1));
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Writes an Atom 1.0 feed (RFC 4287) of updates and sub-processor changes.
 *
 * @example
 * ```ts
 * const xml = emitAtomFeed(config, { now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export function emitAtomFeed(config: TrustConfig, options: { now: Date }): string {
  const trust = config.organisation.trust_url.replace(/\/$/, '');
  const entries = feedEntries(config);
  // RFC 4287 §4.2.15: the feed's updated is its most recent significant change.
  const updated = entries[0] ? `${entries[0].date}T00:00:00Z` : options.now.toISOString();
  const body = entries
    .map(
      (e) => `  <entry>
    <id>${escapeXml(e.id)}</id>
    <title>${escapeXml(e.title)}</title>
    <updated>${e.date}T00:00:00Z</updated>
    <link rel="alternate" type="text/html" href="${escapeXml(e.link)}"/>
    <category term="${escapeXml(e.category)}"/>
    <content type="html">${escapeXml(e.html)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(`${trust}/feed.xml`)}</id>
  <title>${escapeXml(`${config.organisation.name} trust center updates`)}</title>
  <updated>${updated}</updated>
  <author><name>${escapeXml(config.organisation.legal_entity ?? config.organisation.name)}</name></author>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${trust}/feed.xml`)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(`${trust}/updates/`)}"/>
${body}
</feed>
`;
}
