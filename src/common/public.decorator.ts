import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'paios:public';

/** Opens a route to callers without a token (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
