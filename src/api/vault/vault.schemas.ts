import { z } from 'zod';

const serviceName = z
  .string({ message: 'expected a service name' })
  .trim()
  .min(1, 'service_name must not be empty')
  .max(255, 'service_name is at most 255 characters');
const secretData = z
  .record(z.string(), z.unknown(), { message: 'expected data as a JSON object (the secret fields)' })
  .refine((v) => Object.keys(v).length > 0, 'data must hold at least one field');
const metadata = z.record(z.string(), z.unknown(), { message: 'expected metadata as a JSON object' });

/** The seed's POST /api/credentials body. */
export const createCredentialSchema = z
  .object({ service_name: serviceName, data: secretData, metadata: metadata.optional() })
  .strict();

export const updateCredentialSchema = z
  .object({ data: secretData.optional(), metadata: metadata.optional() })
  .strict()
  .refine((v) => v.data !== undefined || v.metadata !== undefined, 'give data, metadata or both');

export const unlockSchema = z
  .object({ password: z.string({ message: 'expected the master password' }).min(1) })
  .strict();

export const changeMasterSchema = z
  .object({
    old_password: z.string({ message: 'expected the current master password' }).min(1),
    new_password: z
      .string({ message: 'expected the new master password' })
      .min(12, 'a master password needs at least 12 characters'),
  })
  .strict();

export const grantSchema = z
  .object({
    agent: z.number({ message: 'expected an agent number' }).int().positive(),
    service_name: serviceName,
  })
  .strict();

export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;
export type UpdateCredentialInput = z.infer<typeof updateCredentialSchema>;
export type UnlockInput = z.infer<typeof unlockSchema>;
export type ChangeMasterInput = z.infer<typeof changeMasterSchema>;
export type GrantInput = z.infer<typeof grantSchema>;

export const credentialViewSchema = z.object({
  id: z.uuid(),
  serviceName: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const vaultStatusSchema = z.object({
  created: z.boolean(),
  unlocked: z.boolean(),
  serverKey: z.boolean(),
  credentials: z.number().int(),
  autoLockSeconds: z.number().int(),
});
