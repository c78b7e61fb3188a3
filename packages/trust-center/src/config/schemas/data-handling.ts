import { z } from 'zod';
import { MarkdownSchema } from './common.js';

/** A category of data the vendor holds. */
export const DataCategorySchema = z.strictObject({
  /** @example "Account information" */
  name: z.string().min(1).describe("Example: \"Account information\""),
  /** @example "Organisation name, billing email and member emails." */
  description: z.string().min(1).describe("Example: \"Organisation name, billing email and member emails.\""),
  /** Whether the category contains personal data. @example true */
  personal_data: z.boolean().default(true).describe("Whether the category contains personal data. Example: true"),
  /** Where it is stored. @example "Primary database" */
  stored_in: z.string().optional().describe("Where it is stored. Example: \"Primary database\""),
});

/** One row of the data-retention table. */
export const RetentionRowSchema = z.strictObject({
  /** @example "Audit log" */
  data_category: z.string().min(1).describe("Example: \"Audit log\""),
  /** A human duration. @example "Life of the account, then 30 days" */
  retention: z.string().min(1).describe("A human duration. Example: \"Life of the account, then 30 days\""),
  /** @example "Hard delete, then purged from backups within 30 days" */
  deletion_method: z.string().optional().describe("Example: \"Hard delete, then purged from backups within 30 days\""),
  /** @example "Contract (GDPR Art. 6(1)(b))" */
  legal_basis: z.string().optional().describe("Example: \"Contract (GDPR Art. 6(1)(b))\""),
});

/** What data is held, where, how it is protected, how long it is kept and how it leaves. */
export const DataHandlingSchema = z.strictObject({
  /** An introduction to the data section. */
  intro: MarkdownSchema.optional().describe("An introduction to the data section."),
  categories: z.array(DataCategorySchema).default([]),
  /** Data the vendor explicitly does not hold or cannot see. @example ["Payment card numbers"] */
  not_held: z.array(z.string()).default([]).describe("Data the vendor explicitly does not hold or cannot see. Example: [\"Payment card numbers\"]"),
  residency: z
    .strictObject({
      /** @example "EU (Frankfurt)" */
      primary_region: z.string().min(1).describe("Example: \"EU (Frankfurt)\""),
      /** Every region that holds customer data. @example ["eu-central-1"] */
      regions: z.array(z.string()).default([]).describe("Every region that holds customer data. Example: [\"eu-central-1\"]"),
      /** Residency options customers can choose, or plans for them. */
      notes: MarkdownSchema.optional().describe("Residency options customers can choose, or plans for them."),
    })
    .optional(),
  encryption: z
    .strictObject({
      /** @example "TLS 1.2 or higher; HSTS on production hosts" */
      in_transit: z.string().min(1).describe("Example: \"TLS 1.2 or higher; HSTS on production hosts\""),
      /** @example "AES-256, keys managed by the cloud provider" */
      at_rest: z.string().min(1).describe("Example: \"AES-256, keys managed by the cloud provider\""),
      /** Key management, if it matters to your buyers. */
      key_management: z.string().optional().describe("Key management, if it matters to your buyers."),
    })
    .optional(),
  backups: z
    .strictObject({
      /** @example daily */
      frequency: z.string().min(1).describe("Example: daily"),
      /** @example "30 days" */
      retention: z.string().min(1).describe("Example: \"30 days\""),
      /** @example true */
      encrypted: z.boolean().optional().describe("Example: true"),
      /** @example "Restores tested quarterly" */
      notes: MarkdownSchema.optional().describe("Example: \"Restores tested quarterly\""),
    })
    .optional(),
  retention: z.array(RetentionRowSchema).default([]),
  /** How a customer deletes their data, and how long it takes. */
  deletion: MarkdownSchema.optional().describe("How a customer deletes their data, and how long it takes."),
  /** How a customer exports their data, and in what format. */
  export: MarkdownSchema.optional().describe("How a customer exports their data, and in what format."),
});

export type DataHandling = z.output<typeof DataHandlingSchema>;
export type RetentionRow = z.output<typeof RetentionRowSchema>;
