import type { TrustConfig } from '../config/schema.js';
import { displayedFrameworkStatus } from '../config/status.js';

/**
 * Builds schema.org JSON-LD for the organisation and its certifications
 * (`Organization.hasCertification` → `Certification`). Only certified or compliant frameworks
 * are listed; expired ones carry `CertificationInactive`.
 *
 * @example
 * ```ts
 * const ld = emitJsonLd(config, { now: new Date('2026-06-01T00:00:00Z') });
 * ```
 */
export function emitJsonLd(config: TrustConfig, options: { now: Date }) {
  const org = config.organisation;
  const certifications = config.compliance.frameworks
    .filter((f) => f.status === 'certified' || f.status === 'compliant')
    .map((f) => {
      const status = displayedFrameworkStatus(f, options.now);
      return {
        '@type': 'Certification',
        name: f.name,
        certificationStatus: status === 'expired' ? 'https://schema.org/CertificationInactive' : 'https://schema.org/CertificationActive',
        ...(f.auditor ? { issuedBy: { '@type': 'Organization', name: f.auditor } } : {}),
        ...(f.issued_at ? { validFrom: f.issued_at } : {}),
        ...(f.expires_at ? { expires: f.expires_at } : {}),
        ...(f.period ? { auditDate: f.period.end } : {}),
      };
    });
  const contactPoint = Object.entries(org.contacts).map(([type, value]) => ({
    '@type': 'ContactPoint',
    contactType: type,
    ...(String(value).includes('@') && !String(value).startsWith('http') ? { email: String(value).replace(/^mailto:/, '') } : { url: value }),
  }));
  return {
    '@context': 'https://schema.org',
    '@type': 'Organization',
    name: org.name,
    ...(org.legal_entity ? { legalName: org.legal_entity } : {}),
    url: org.website,
    ...(org.description ? { description: org.description } : {}),
    ...(contactPoint.length ? { contactPoint } : {}),
    ...(certifications.length ? { hasCertification: certifications } : {}),
  };
}
