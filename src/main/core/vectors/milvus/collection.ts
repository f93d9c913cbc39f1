import { DataType } from '@zilliz/milvus2-sdk-node';
import type { MilvusCaller } from './client';
import { milvusError } from './errors';

export const MAX_FOLDERS_PER_PHOTO = 256;

export type VectorIndexType = 'HNSW' | 'AUTOINDEX';

export interface CollectionState {
  exists: boolean;
  indexType: VectorIndexType | null;
}

/** What is there now: the collection, its dimension (checked) and its index type. */
export async function inspectCollection(
  caller: MilvusCaller,
  name: string,
  dimension: number,
): Promise<CollectionState> {
  // Not hasCollection: Milvus Lite answers true for any name.
  const listed = await caller.call('list collections', (c) => c.showCollections());
  if (!listed.data.some((collection) => collection.name === name)) return { exists: false, indexType: null };
  const described = await caller.call('describe the vector collection', (c) =>
    c.describeCollection({ collection_name: name }),
  );
  const vectorField = described.schema.fields.find((f) => f.name === 'vector');
  const dim = Number(
    vectorField?.type_params?.find((p) => p.key === 'dim')?.value ?? (vectorField as { dim?: number })?.dim,
  );
  if (!vectorField || dim !== dimension) {
    throw milvusError(
      'invalid',
      'use the vector collection',
      caller.where,
      `collection ${name} holds ${dim || 'unknown'}-d vectors, the model makes ${dimension}-d`,
    );
  }
  const indexes = await caller
    .call('describe the vector index', (c) =>
      c.describeIndex({ collection_name: name, field_name: 'vector' }),
    )
    .catch(() => null);
  const params = indexes?.index_descriptions?.[0]?.params ?? [];
  const type = params.find((p) => p.key === 'index_type')?.value;
  await caller.call('load the vector collection', (c) => c.loadCollection({ collection_name: name }));
  return { exists: true, indexType: type === 'HNSW' ? 'HNSW' : 'AUTOINDEX' };
}

/**
 * Creates the collection: id (content hash) primary key, vector, folder ids array,
 * capture time. HNSW with COSINE where the server has it; Milvus Lite only offers
 * FLAT/IVF_FLAT/AUTOINDEX, so a refused HNSW falls back to AUTOINDEX.
 */
export async function createCollection(
  caller: MilvusCaller,
  name: string,
  model: string,
  dimension: number,
): Promise<CollectionState> {
  await caller.call('create the vector collection', (c) =>
    c.createCollection({
      collection_name: name,
      description: `Komorebi photo vectors for model ${model}`.slice(0, 250),
      fields: [
        { name: 'id', data_type: DataType.VarChar, is_primary_key: true, max_length: 128 },
        { name: 'vector', data_type: DataType.FloatVector, dim: dimension },
        {
          name: 'folder_ids',
          data_type: DataType.Array,
          element_type: DataType.Int64,
          max_capacity: MAX_FOLDERS_PER_PHOTO,
        },
        { name: 'taken_at', data_type: DataType.Int64 },
      ],
    }),
  );
  let indexType: VectorIndexType = 'HNSW';
  try {
    await caller.call('create an HNSW index', (c) =>
      c.createIndex({
        collection_name: name,
        field_name: 'vector',
        index_type: 'HNSW',
        metric_type: 'COSINE',
        params: { M: 16, efConstruction: 200 },
      }),
    );
  } catch (error) {
    if ((error as { kind?: string }).kind === 'unreachable') throw error;
    indexType = 'AUTOINDEX';
    await caller.call('create the vector index', (c) =>
      c.createIndex({
        collection_name: name,
        field_name: 'vector',
        index_type: 'AUTOINDEX',
        metric_type: 'COSINE',
      }),
    );
  }
  await caller.call('load the vector collection', (c) => c.loadCollection({ collection_name: name }));
  return { exists: true, indexType };
}
