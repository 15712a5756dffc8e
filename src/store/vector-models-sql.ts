// SQL, the same for both engines, that finds a paper's vectors through the (model, paper_id) key instead of a scan.

/**
 * The models paper_vectors holds, one index seek each (the smallest model, then the smallest past it, …): a handful
 * of steps, where `SELECT DISTINCT model` or a match on paper_id alone reads the whole table (both engines lack a
 * skip scan here). Deleting one paper's vectors by paper_id alone read every vector row: about 7 s at 2.7M papers,
 * the write lock held all the while (docs/BENCHMARKS.md, "#23 deleting a paper").
 */
export const VECTOR_MODELS = `WITH RECURSIVE vector_models(model) AS (
    SELECT (SELECT min(model) FROM paper_vectors)
    UNION ALL
    SELECT (SELECT min(model) FROM paper_vectors WHERE model > vector_models.model)
    FROM vector_models WHERE vector_models.model IS NOT NULL
  ) SELECT model FROM vector_models WHERE model IS NOT NULL`;

/** Deletes every model's vector of the paper whose id is the statement's one parameter (`placeholder`). */
export const deletePaperVectorsSql = (placeholder: '?' | '$1'): string =>
  `DELETE FROM paper_vectors WHERE paper_id = ${placeholder} AND model IN (${VECTOR_MODELS})`;
