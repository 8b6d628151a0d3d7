import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('credentials')
export class CredentialEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'user_id', type: 'uuid', nullable: true }) userId!: string | null;
  @Column({ name: 'service_name', type: 'varchar', length: 255 }) serviceName!: string;
  @Column({ name: 'encrypted_data', type: 'text' }) encryptedData!: string;
  @Column({ name: 'encryption_key_id', type: 'varchar', length: 255 }) encryptionKeyId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamp', nullable: true }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamp', nullable: true }) updatedAt!: Date;
}
