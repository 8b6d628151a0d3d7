import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('agent_workflows')
export class AgentWorkflowEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ name: 'source_agent_id', type: 'uuid', nullable: true }) sourceAgentId!: string | null;
  @Column({ name: 'target_agent_id', type: 'uuid', nullable: true }) targetAgentId!: string | null;
  @Column({ name: 'trigger_conditions', type: 'jsonb', nullable: true, default: () => "'{}'" })
  triggerConditions!: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true, default: () => "'{}'" }) actions!: Record<string, unknown> | null;
  @Column({ name: 'is_active', type: 'boolean', nullable: true, default: true }) isActive!: boolean | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
}
