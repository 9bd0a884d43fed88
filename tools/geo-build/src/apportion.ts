/**
 * Largest-remainder (Hamilton) apportionment: split an integer total into integer parts
 * proportional to weights, summing exactly to the total. Ties go to the lower index so the
 * result is deterministic.
 */
export function apportionLargestRemainder(total: number, weights: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer: ${total}`);
  if (weights.length === 0) {
    if (total === 0) return [];
    throw new RangeError('cannot apportion a positive total over no weights');
  }
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError('weights must be finite and ≥ 0');
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  if (weightSum <= 0) throw new RangeError('weights must not all be zero');

  const quotas = weights.map((w) => (total * w) / weightSum);
  const parts = quotas.map(Math.floor);
  let remaining = total - parts.reduce((sum, p) => sum + p, 0);
  const byRemainder = quotas
    .map((quota, index) => ({ index, remainder: quota - Math.floor(quota) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (remaining <= 0) break;
    parts[index]! += 1;
    remaining -= 1;
  }
  return parts;
}
