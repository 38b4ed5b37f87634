/** Pure logic of the case workspace: which elements of a crime lack proof, and the counts of the checklist. */

export interface ElementLike {
  id: string;
  acts?: unknown;
  information?: unknown;
  medicalFindings?: unknown;
}

export interface ElementProof {
  id: string;
  acts: string[];
  other: number;
  evidence: number;
  /** Nothing maps to it: no act, information, medical finding or evidence item. */
  lacksProof: boolean;
}

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** What supports one element: its acts, information and medical findings, and the evidence linked to it. */
export function proofOf(element: ElementLike, evidenceCount: number): ElementProof {
  const acts = ids(element.acts);
  const other = ids(element.information).length + ids(element.medicalFindings).length;
  return { id: element.id, acts, other, evidence: evidenceCount, lacksProof: acts.length + other + evidenceCount === 0 };
}

/** The checklist's counts: elements in all, those with some proof, those lacking it. */
export function checklist(proofs: ElementProof[]): { total: number; supported: number; lacking: number } {
  const lacking = proofs.filter((p) => p.lacksProof).length;
  return { total: proofs.length, supported: proofs.length - lacking, lacking };
}

/** A list with one id added (kept once) or removed. */
export function withId(list: unknown, id: string, add: boolean): string[] {
  const now = ids(list);
  return add ? (now.includes(id) ? now : [...now, id]) : now.filter((x) => x !== id);
}
