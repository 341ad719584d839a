import type { CallOptions } from './call-options.js';
import { QdrantCloudError } from './errors.js';

/** A paged list RPC: `listClusters`, `listBackups`, `listBackupRestores` or `listBackupSchedules`. */
export type PagedListMethod<
  Request extends { pageToken?: string | undefined },
  Response extends PagedResponse,
> = (request: Request, options?: CallOptions) => Promise<Response>;

/** The paging part of a list response. */
export interface PagedResponse {
  nextPageToken?: string | undefined;
  items?: unknown[] | undefined;
}

/**
 * Iterates over every page of a paged list RPC, following `nextPageToken`:
 *
 * ```ts
 * for await (const page of paginate(cloud.cluster.listClusters, { pageSize: 100 })) {
 *   console.log(page.items?.length, page.totalSize);
 * }
 * ```
 *
 * Without `pageSize` the API returns everything in one page.
 */
export async function* paginate<
  Request extends { pageToken?: string | undefined },
  Response extends PagedResponse,
>(
  list: PagedListMethod<Request, Response>,
  request: Request,
  options?: CallOptions,
): AsyncGenerator<Response, void, undefined> {
  let token = request.pageToken;
  const seen = new Set<string>();
  for (;;) {
    const page = await list(
      token === undefined ? request : { ...request, pageToken: token },
      options,
    );
    yield page;
    const next = page.nextPageToken;
    if (!next) return;
    // A server that hands back a token it already gave would loop forever.
    if (seen.has(next)) {
      throw new QdrantCloudError({
        kind: 'response',
        code: 13,
        message: `paginate: the API returned the page token ${JSON.stringify(next)} twice`,
      });
    }
    seen.add(next);
    token = next;
  }
}

/** Iterates over every item of every page of a paged list RPC (see {@link paginate}). */
export async function* paginateItems<
  Request extends { pageToken?: string | undefined },
  Response extends PagedResponse,
>(
  list: PagedListMethod<Request, Response>,
  request: Request,
  options?: CallOptions,
): AsyncGenerator<NonNullable<Response['items']>[number], void, undefined> {
  for await (const page of paginate(list, request, options)) {
    for (const item of page.items ?? []) yield item as NonNullable<Response['items']>[number];
  }
}
