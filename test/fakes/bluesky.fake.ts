import { HttpFake, type FakeReply, type RecordedRequest } from './http-fake.js';

/** A well-formed CID (the lexicon checks the format); the fake gives every record the same one. */
export const FAKE_CID = 'bafyreie5737gdxlw5i64vzichcalba3z2v5n6icifvx5xytvske7mr3hpm';
const DID = 'did:plc:paiostestaccount00000000';

export interface FakeRecord {
  rkey: string;
  uri: string;
  record: {
    text: string;
    facets?: { index: { byteStart: number; byteEnd: number }; features: { $type: string; [k: string]: unknown }[] }[];
    reply?: { root: { uri: string }; parent: { uri: string } };
    embed?: { images: { alt: string }[] };
  };
  likes: number;
}

/**
 * A local stand-in for a Bluesky PDS over XRPC, as @atproto/api calls it: createSession (handle
 * `paios.test`, app password `app-pass-word`), createRecord and getRecord of app.bsky.feed.post,
 * uploadBlob, resolveHandle (`alice.test`), app.bsky.feed.getPosts. `failNext` answers the next
 * createRecord with a 500 without saving anything.
 */
export class BlueskyFake extends HttpFake {
  readonly records: FakeRecord[] = [];
  failNext = 0;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: RecordedRequest): FakeReply {
    const url = new URL(req.path, 'http://x');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    if (nsid === 'com.atproto.server.createSession') {
      const b = req.body as { identifier: string; password: string };
      if (b.identifier !== 'paios.test' || b.password !== 'app-pass-word')
        return { status: 401, json: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } };
      return {
        json: { accessJwt: 'access-jwt', refreshJwt: 'refresh-jwt', handle: 'paios.test', did: DID, active: true },
      };
    }
    if (req.headers.authorization !== 'Bearer access-jwt' && nsid !== 'com.atproto.identity.resolveHandle')
      return { status: 401, json: { error: 'AuthenticationRequired', message: 'no session' } };
    switch (nsid) {
      case 'com.atproto.identity.resolveHandle': {
        const handle = url.searchParams.get('handle');
        return handle === 'alice.test'
          ? { json: { did: 'did:plc:alice000000000000000000' } }
          : { status: 400, json: { error: 'InvalidRequest', message: 'Unable to resolve handle' } };
      }
      case 'com.atproto.repo.uploadBlob':
        return {
          json: {
            blob: {
              $type: 'blob',
              ref: { $link: FAKE_CID },
              mimeType: req.headers['content-type'],
              size: req.raw.length,
            },
          },
        };
      case 'com.atproto.repo.getRecord': {
        const r = this.records.find((x) => x.rkey === url.searchParams.get('rkey'));
        return r
          ? { json: { uri: r.uri, cid: FAKE_CID, value: r.record } }
          : { status: 400, json: { error: 'RecordNotFound', message: 'Could not locate record' } };
      }
      case 'com.atproto.repo.createRecord': {
        if (this.failNext > 0) {
          this.failNext--;
          return { status: 500, json: { error: 'InternalServerError', message: 'Internal Server Error' } };
        }
        const b = req.body as { rkey: string; record: FakeRecord['record'] };
        if (this.records.some((x) => x.rkey === b.rkey))
          return { status: 400, json: { error: 'InvalidRequest', message: 'Record already exists' } };
        const uri = `at://${DID}/app.bsky.feed.post/${b.rkey}`;
        this.records.push({ rkey: b.rkey, uri, record: b.record, likes: 0 });
        return { json: { uri, cid: FAKE_CID } };
      }
      case 'app.bsky.feed.getPosts': {
        const uris = url.searchParams.getAll('uris');
        const posts = this.records
          .filter((r) => uris.includes(r.uri))
          .map((r) => ({
            uri: r.uri,
            cid: FAKE_CID,
            author: { did: DID, handle: 'paios.test' },
            record: { $type: 'app.bsky.feed.post', createdAt: '2026-12-01T10:00:00.000Z', ...r.record },
            indexedAt: '2026-12-01T10:00:00.000Z',
            likeCount: r.likes,
            repostCount: 1,
            replyCount: 0,
          }));
        return { json: { posts } };
      }
      default:
        return { status: 501, json: { error: 'MethodNotImplemented', message: nsid } };
    }
  }
}
