import { AgentMemoryEntity } from './agent-memory.entity.js';
import { AgentWorkflowEntity } from './agent-workflow.entity.js';
import { AgentEntity } from './agent.entity.js';
import { CredentialEntity } from './credential.entity.js';
import { JobEntity, JobSchedulerEntity } from './job.entity.js';
import { SystemModificationEntity } from './system-modification.entity.js';
import { UserIdentityEntity } from './user-identity.entity.js';
import { UserEntity } from './user.entity.js';
import { VoiceInteractionEntity } from './voice-interaction.entity.js';

export {
  AgentEntity,
  AgentMemoryEntity,
  AgentWorkflowEntity,
  CredentialEntity,
  JobEntity,
  JobSchedulerEntity,
  SystemModificationEntity,
  UserEntity,
  UserIdentityEntity,
  VoiceInteractionEntity,
};

export const ENTITIES = [
  UserEntity,
  UserIdentityEntity,
  AgentEntity,
  AgentWorkflowEntity,
  VoiceInteractionEntity,
  CredentialEntity,
  SystemModificationEntity,
  AgentMemoryEntity,
  JobEntity,
  JobSchedulerEntity,
];
