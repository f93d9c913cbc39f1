import type { ServerResponse } from 'node:http';
import type { FakeOpenAI, Scenario } from './types';

/** What the fake remembers between requests. */
export interface FakeState {
  fake: FakeOpenAI;
  queue: Scenario[];
  /** Responses kept for previous_response_id (store: true). */
  stored: Map<string, { turn: number; rows: number[] }>;
  /** Leaves an answer open until the client gives up or the fake closes. */
  hang(res: ServerResponse): void;
  /** Cuts the connection once what was written has left, so the client sees a stream that breaks. */
  cut(res: ServerResponse): void;
}
