import { z } from 'zod';
import { ContactSchema, LinkSchema } from './common.js';

/** The ways to reach the vendor. Every key is optional; set the ones you answer. */
export const ContactsSchema = z.strictObject({
  /** Where vulnerability reports and security questions go. Also the default security.txt `Contact`. @example security@example.com */
  security: ContactSchema.optional(),
  /** Privacy and data-subject requests. @example privacy@example.com */
  privacy: ContactSchema.optional(),
  /** The data protection officer (GDPR Art. 37) or grievance officer (DPDPA). @example dpo@example.com */
  dpo: ContactSchema.optional(),
  /** General customer support. @example support@example.com */
  support: ContactSchema.optional(),
  /** Procurement reviews, questionnaires and contracts. @example sales@example.com */
  sales: ContactSchema.optional(),
});

/** Who the vendor is. */
export const OrganisationSchema = z.strictObject({
  /** The product or trading name shown in headings. @example Quillby */
  name: z.string().min(1),
  /** The legal entity that signs contracts and acts as processor. @example Quillby Software Ltd */
  legal_entity: z.string().min(1).optional(),
  /** One or two sentences on what the product does and what data it needs to do it. */
  description: z.string().optional(),
  /** The vendor's main website. @example https://quillby.example */
  website: z.url({ protocol: /^https?$/ }),
  /**
   * The public URL the trust center is served from. Used for `Canonical` in security.txt, feed ids
   * and JSON-LD. @example https://quillby.example/trust
   */
  trust_url: z.url({ protocol: /^https?$/ }),
  /** A logo path or URL. Served from your own origin: the site makes no third-party requests. @example /logo.svg */
  logo: LinkSchema.optional(),
  /** Registered address, as one line. @example 1 Example Street, London, UK */
  address: z.string().optional(),
  /** Contact addresses. */
  contacts: ContactsSchema.default({}),
  /** The author and date of this statement, as shown in the page footer. @example "Priya Nair, CTO" */
  prepared_by: z.string().optional(),
});

export type Organisation = z.output<typeof OrganisationSchema>;
export type OrganisationInput = z.input<typeof OrganisationSchema>;
