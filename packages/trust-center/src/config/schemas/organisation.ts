import { z } from 'zod';
import { ContactSchema, LinkSchema } from './common.js';

/** The ways to reach the vendor. Every key is optional; set the ones you answer. */
export const ContactsSchema = z.strictObject({
  /** Where vulnerability reports and security questions go. Also the default security.txt `Contact`. @example security@example.com */
  security: ContactSchema.optional().describe("Where vulnerability reports and security questions go. Also the default security.txt `Contact`. Example: security@example.com"),
  /** Privacy and data-subject requests. @example privacy@example.com */
  privacy: ContactSchema.optional().describe("Privacy and data-subject requests. Example: privacy@example.com"),
  /** The data protection officer (GDPR Art. 37) or grievance officer (DPDPA). @example dpo@example.com */
  dpo: ContactSchema.optional().describe("The data protection officer (GDPR Art. 37) or grievance officer (DPDPA). Example: dpo@example.com"),
  /** General customer support. @example support@example.com */
  support: ContactSchema.optional().describe("General customer support. Example: support@example.com"),
  /** Procurement reviews, questionnaires and contracts. @example sales@example.com */
  sales: ContactSchema.optional().describe("Procurement reviews, questionnaires and contracts. Example: sales@example.com"),
});

/** Who the vendor is. */
export const OrganisationSchema = z.strictObject({
  /** The product or trading name shown in headings. @example Quillby */
  name: z.string().min(1).describe("The product or trading name shown in headings. Example: Quillby"),
  /** The legal entity that signs contracts and acts as processor. @example Quillby Software Ltd */
  legal_entity: z.string().min(1).optional().describe("The legal entity that signs contracts and acts as processor. Example: Quillby Software Ltd"),
  /** One or two sentences on what the product does and what data it needs to do it. */
  description: z.string().optional().describe("One or two sentences on what the product does and what data it needs to do it."),
  /** The vendor's main website. @example https://quillby.example */
  website: z.url({ protocol: /^https?$/ }).describe("The vendor's main website. Example: https://quillby.example"),
  /**
   * The public URL the trust center is served from. Used for `Canonical` in security.txt, feed ids
   * and JSON-LD. @example https://quillby.example/trust
   */
  trust_url: z.url({ protocol: /^https?$/ }).describe("The public URL the trust center is served from. Used for `Canonical` in security.txt, feed ids and JSON-LD. Example: https://quillby.example/trust"),
  /** A logo path or URL. Served from your own origin: the site makes no third-party requests. @example /logo.svg */
  logo: LinkSchema.optional().describe("A logo path or URL. Served from your own origin: the site makes no third-party requests. Example: /logo.svg"),
  /** Registered address, as one line. @example 1 Example Street, London, UK */
  address: z.string().optional().describe("Registered address, as one line. Example: 1 Example Street, London, UK"),
  /** Contact addresses. */
  contacts: ContactsSchema.default({}).describe("Contact addresses."),
  /** The author and date of this statement, as shown in the page footer. @example "Priya Nair, CTO" */
  prepared_by: z.string().optional().describe("The author and date of this statement, as shown in the page footer. Example: \"Priya Nair, CTO\""),
});

export type Organisation = z.output<typeof OrganisationSchema>;
export type OrganisationInput = z.input<typeof OrganisationSchema>;
