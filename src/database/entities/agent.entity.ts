import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('agents')
export class AgentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ name: 'agent_number', type: 'integer' }) agentNumber!: number;
  @Column({ type: 'varchar', length: 255 }) name!: string;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'jsonb', nullable: true, default: () => "'{}'" }) config!: Record<string, unknown> | null;
  @Column({ name: 'is_active', type: 'boolean', nullable: true, default: true }) isActive!: boolean | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamp', nullable: true }) updatedAt!: Date;
}
