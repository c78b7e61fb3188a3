import { z } from 'zod';
import { MarkdownSchema } from './common.js';

/** A category of data the vendor holds. */
export const DataCategorySchema = z.strictObject({
  /** @example "Account information" */
  name: z.string().min(1),
  /** @example "Organisation name, billing email and member emails." */
  description: z.string().min(1),
  /** Whether the category contains personal data. @example true */
  personal_data: z.boolean().default(true),
  /** Where it is stored. @example "Primary database" */
  stored_in: z.string().optional(),
});

/** One row of the data-retention table. */
export const RetentionRowSchema = z.strictObject({
  /** @example "Audit log" */
  data_category: z.string().min(1),
  /** A human duration. @example "Life of the account, then 30 days" */
  retention: z.string().min(1),
  /** @example "Hard delete, then purged from backups within 30 days" */
  deletion_method: z.string().optional(),
  /** @example "Contract (GDPR Art. 6(1)(b))" */
  legal_basis: z.string().optional(),
});

/** What data is held, where, how it is protected, how long it is kept and how it leaves. */
export const DataHandlingSchema = z.strictObject({
  /** An introduction to the data section. */
  intro: MarkdownSchema.optional(),
  categories: z.array(DataCategorySchema).default([]),
  /** Data the vendor explicitly does not hold or cannot see. @example ["Payment card numbers"] */
  not_held: z.array(z.string()).default([]),
  residency: z
    .strictObject({
      /** @example "EU (Frankfurt)" */
      primary_region: z.string().min(1),
      /** Every region that holds customer data. @example ["eu-central-1"] */
      regions: z.array(z.string()).default([]),
      /** Residency options customers can choose, or plans for them. */
      notes: MarkdownSchema.optional(),
    })
    .optional(),
  encryption: z
    .strictObject({
      /** @example "TLS 1.2 or higher; HSTS on production hosts" */
      in_transit: z.string().min(1),
      /** @example "AES-256, keys managed by the cloud provider" */
      at_rest: z.string().min(1),
      /** Key management, if it matters to your buyers. */
      key_management: z.string().optional(),
    })
    .optional(),
  backups: z
    .strictObject({
      /** @example daily */
      frequency: z.string().min(1),
      /** @example "30 days" */
      retention: z.string().min(1),
      /** @example true */
      encrypted: z.boolean().optional(),
      /** @example "Restores tested quarterly" */
      notes: MarkdownSchema.optional(),
    })
    .optional(),
  retention: z.array(RetentionRowSchema).default([]),
  /** How a customer deletes their data, and how long it takes. */
  deletion: MarkdownSchema.optional(),
  /** How a customer exports their data, and in what format. */
  export: MarkdownSchema.optional(),
});

export type DataHandling = z.output<typeof DataHandlingSchema>;
export type RetentionRow = z.output<typeof RetentionRowSchema>;
