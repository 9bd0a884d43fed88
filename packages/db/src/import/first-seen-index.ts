/**
 * The row where each external id of a file was first seen, for the within-file duplicate
 * check. A Map<string, number> of 1 M ids held ~66 MB of small objects in the V8 heap for the
 * whole import (and the heap's growth slack on top, with every major GC walking them). Here
 * the ids live as UTF-8 bytes in one growing buffer, found through an open-addressing hash
 * table of typed arrays: ~45 MB for 1 M ids of 20 characters, outside the garbage-collected heap.
 */
export class FirstSeenIndex {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Per entry: where its id starts in `bytes`, its byte length, and its row number. */
  private starts = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private rows = new Int32Array(1024);
  private count = 0;
  /** Entry index + 1 per slot (0 = empty); the capacity is a power of two, at most half full. */
  private slots = new Uint32Array(2048);
  private scratch = Buffer.allocUnsafe(256);

  get size(): number {
    return this.count;
  }

  /** The row `id` was first seen on, or undefined (then `rowNumber` is recorded for it). */
  firstOrAdd(id: string, rowNumber: number): number | undefined {
    const length = this.encode(id);
    const hash = fnv1a(this.scratch, length);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) {
        this.add(slot, length, rowNumber);
        return undefined;
      }
      const index = entry - 1;
      if (this.lengths[index] === length && this.scratch.compare(this.bytes, this.starts[index]!, this.starts[index]! + length, 0, length) === 0) {
        return this.rows[index];
      }
    }
  }

  private encode(id: string): number {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (id.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(id.length * 3);
    return this.scratch.write(id, 0, 'utf8');
  }

  private add(slot: number, length: number, rowNumber: number): void {
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.scratch.copy(this.bytes, this.used, 0, length);
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts, new Uint32Array(this.count * 2));
      this.lengths = grow(this.lengths, new Uint32Array(this.count * 2));
      this.rows = grow(this.rows, new Int32Array(this.count * 2));
    }
    this.starts[this.count] = this.used;
    this.lengths[this.count] = length;
    this.rows[this.count] = rowNumber;
    this.used += length;
    this.count += 1;
    this.slots[slot] = this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let index = 0; index < this.count; index += 1) {
      let slot = fnv1a(this.bytes, this.lengths[index]!, this.starts[index]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    }
    this.slots = slots;
  }
}

function grow<T extends Uint32Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** 32-bit FNV-1a over `length` bytes from `start`. */
function fnv1a(bytes: Buffer, length: number, start = 0): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < start + length; i += 1) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}
