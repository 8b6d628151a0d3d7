import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A chat-platform account (Slack, Discord, Telegram, ...) paired with a paios user. */
@Entity('user_identities')
export class UserIdentityEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'varchar', length: 32 }) platform!: string;
  @Column({ name: 'platform_user_id', type: 'varchar', length: 255 }) platformUserId!: string;
  /** Slack team id, Discord guild id; '' where the platform's user ids are global. */
  @Column({ type: 'varchar', length: 255, default: '' }) workspace!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
}
