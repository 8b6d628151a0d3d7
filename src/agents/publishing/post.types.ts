/** Agent #29's number, for grants and events. */
export const AGENT_NUMBER = 29;

export type PostStatus = 'draft' | 'scheduled' | 'published';

/** What a post's front matter holds besides its markdown body. */
export interface PostMeta {
  title: string;
  slug: string;
  tags: string[];
  summary?: string;
  coverImage?: string;
}

export interface Post extends PostMeta {
  id: string;
  userId: string;
  body: string;
  status: PostStatus;
  revision: number;
  publishAt: Date | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How the person's site presents itself (agent config, stored with each build). */
export interface SiteSettings {
  title: string;
  description: string;
  author?: string;
  language: string;
  /** Absolute URL the site is served at, ending in a slash (…/site/). */
  url: string;
}

/** Where a post also goes when the person granted the credentials. */
export type RemoteTarget = 'ghost' | 'wordpress';

export interface RemotePublication {
  target: RemoteTarget;
  remoteId: string;
  remoteUrl: string | null;
  revision: number;
}
