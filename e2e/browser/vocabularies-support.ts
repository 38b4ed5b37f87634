/**
 * Helpers of the vocabularies browser test: a change made over the API with a token while a page
 * has the vocabulary open (the way the test makes "someone else changed it").
 */

/** Changes a term over the API at the vocabulary's current version; returns the new version. */
export async function changeTermOverApi(url: string, token: string, vocabulary: string, code: string, change: Record<string, unknown>): Promise<number> {
  const auth = { authorization: `Bearer ${token}` };
  const read = await fetch(`${url}/api/v1/vocabularies/${vocabulary}`, { headers: auth });
  if (!read.ok) throw new Error(`GET vocabulary: ${read.status} ${await read.text()}`);
  const etag = read.headers.get('etag')!;
  await read.arrayBuffer();
  const res = await fetch(`${url}/api/v1/vocabularies/${vocabulary}/terms/${code}`, {
    method: 'PATCH',
    headers: { ...auth, 'content-type': 'application/json', 'if-match': etag },
    body: JSON.stringify(change),
  });
  if (!res.ok) throw new Error(`PATCH term: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { version: number }).version;
}
