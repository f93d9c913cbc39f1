/**
 * Per-slot facts the filters need, kept in memory: which content hash a usearch key
 * stands for, its folders and its capture date. A slot number is the usearch key and the
 * vector's position in vectors.f16. Slots are only ever appended (a replaced or removed
 * vector leaves a hole), so a crash can never make a saved slot point at new data.
 */
export interface EntriesFile {
  ids: (string | null)[];
  folders: (number[] | null)[];
  takenAt: (number | null)[];
}

export class SlotTable {
  ids: (string | null)[] = [];
  folders: (number[] | null)[] = [];
  takenAt: (number | null)[] = [];
  readonly slotOf = new Map<string, number>();

  static from(file: EntriesFile, slots: number): SlotTable {
    const table = new SlotTable();
    table.ids = file.ids.slice(0, slots);
    table.folders = file.folders.slice(0, slots);
    table.takenAt = file.takenAt.slice(0, slots);
    table.ids.forEach((id, slot) => {
      if (id !== null) table.slotOf.set(id, slot);
    });
    return table;
  }

  get slots(): number {
    return this.ids.length;
  }

  get live(): number {
    return this.slotOf.size;
  }

  append(id: string, folders: number[], takenAt: number | null): number {
    const slot = this.ids.length;
    this.ids.push(id);
    this.folders.push([...folders]);
    this.takenAt.push(takenAt);
    this.slotOf.set(id, slot);
    return slot;
  }

  release(id: string): number | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    this.slotOf.delete(id);
    this.ids[slot] = null;
    this.folders[slot] = null;
    this.takenAt[slot] = null;
    return slot;
  }

  toFile(): EntriesFile {
    return { ids: this.ids, folders: this.folders, takenAt: this.takenAt };
  }
}
