/**
 * A deliberately small Markdown subset for config text: paragraphs, `-` lists, `**bold**`,
 * `*emphasis*`, `` `code` `` and `[links](url)`. Input is escaped first, so config text can never
 * inject HTML or script; link targets must be http(s), mailto or site-relative.
 *
 * @example
 * ```ts
 * renderMarkdown('We notify within **72 hours**.'); // '<p>We notify within <strong>72 hours</strong>.</p>'
 * ```
 */
export function renderMarkdown(text: string): string {
  const blocks = text.trim().split(/\n\s*\n/);
  return blocks
    .filter((b) => b.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => /^\s*[-*]\s+/.test(l))) {
        return `<ul>${lines.map((l) => `<li>${renderInline(l.replace(/^\s*[-*]\s+/, ''))}</li>`).join('')}</ul>`;
      }
      return `<p>${renderInline(lines.join(' '))}</p>`;
    })
    .join('');
}

/** Inline Markdown only, without a wrapping paragraph. */
export function renderInline(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|mailto:|\/)[^\s)]*)\)/g, '<a href="$2">$1</a>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>');
}
