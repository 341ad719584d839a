// The answer every stand-in cluster of the benchmarks gives: a small search result.
export const SEARCH_RESULT = JSON.stringify({
  result: [
    { id: 1, version: 3, score: 0.91, payload: { city: 'Berlin' } },
    { id: 7, version: 1, score: 0.87, payload: { city: 'Paris' } },
    { id: 42, version: 2, score: 0.8, payload: { city: 'Oslo' } },
  ],
  status: 'ok',
  time: 0.0001,
});
