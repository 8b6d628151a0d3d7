import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('agent_memory')
export class AgentMemoryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'agent_id', type: 'uuid', nullable: true }) agentId!: string | null;
  @Column({ name: 'memory_type', type: 'varchar', length: 100 }) memoryType!: string;
  @Column({ type: 'jsonb' }) content!: unknown;
  @Column({ name: 'relevance_score', type: 'float', nullable: true, default: 1.0 }) relevanceScore!: number | null;
  @Column({ name: 'expires_at', type: 'timestamp', nullable: true }) expiresAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
}
