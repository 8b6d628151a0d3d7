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
  /** slack, telegram, discord, console, api; null for rows written before chat adapters. */
  @Column({ type: 'varchar', length: 32, nullable: true }) channel!: string | null;
  @Column({ name: 'input_kind', type: 'varchar', length: 16, default: 'text' }) inputKind!: string;
  @Column({ name: 'audio_path', type: 'text', nullable: true }) audioPath!: string | null;
  @Column({ name: 'audio_seconds', type: 'real', nullable: true }) audioSeconds!: number | null;
  @Column({ name: 'transcription_ms', type: 'integer', nullable: true }) transcriptionMs!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
}
