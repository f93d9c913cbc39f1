import type { ApiHandlers } from '../../../shared/api';
import type { SimilarPhotos } from '../search/similar';

type SearchMethods = 'photos:similar' | 'photos:similar-to-many' | 'photos:duplicates';

/** Find similar, More like these, and Duplicates. */
export function searchHandlers(similar: SimilarPhotos): Pick<ApiHandlers, SearchMethods> {
  return {
    'photos:similar': async ({ id, ...q }) => similar.similar(id, q),
    'photos:similar-to-many': async ({ ids, ...q }) => similar.similarToMany(ids, q),
    'photos:duplicates': async ({ threshold, limit }) => ({
      groups: await similar.duplicates(threshold, limit),
    }),
  };
}
