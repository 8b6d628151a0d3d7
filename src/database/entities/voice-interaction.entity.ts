import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('voice_interactions')
export class VoiceInteractionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ name: 'agent_id', type: 'uuid', nullable: true }) agentId!: string | null;
  @Column({ name: 'command_text', type: 'text' }) commandText!: string;
  @Column({ name: 'response_text', type: 'text', nullable: true }) responseText!: string | null;
  @Column({ name: 'execution_status', type: 'varchar', length: 50, nullable: true, default: 'pending' })
  executionStatus!: string | null;
  @Column({ name: 'execution_time_ms', type: 'integer', nullable: true }) executionTimeMs!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
}
