/**
 * What search sees: snapshots of records that become visible `lagMs` after
 * the write, like HubSpot's search index trailing the primary store. Reads
 * by id never go through here.
 */
import type { Clock } from '../../../core/clock.js';
import { sandboxObjectTypes, type SandboxObjectType } from '../crm/object-types.js';
import type { RecordView } from '../crm/record-json.js';
import type { RecordWrite } from '../crm/record-store.js';

interface PendingDoc {
  at: number;
  type: SandboxObjectType;
  doc: RecordView;
}

export class SearchIndex {
  private readonly visible = new Map<SandboxObjectType, Map<string, RecordView>>();
  private pending: PendingDoc[] = [];
  private head = 0;

  constructor(
    private readonly clock: Clock,
    private readonly lagMs: () => number,
  ) {
    for (const type of sandboxObjectTypes) this.visible.set(type, new Map());
  }

  /** Store listener: snapshot the record as written. */
  readonly onWrite = (write: RecordWrite): void => {
    const { record } = write;
    const doc: RecordView = { id: record.id, values: new Map(record.values), createdAt: record.createdAt, updatedAt: record.updatedAt };
    this.pending.push({ at: write.at, type: write.type, doc });
    this.flush();
  };

  docs(type: SandboxObjectType): Iterable<RecordView> {
    this.flush();
    return this.typeMap(type).values();
  }

  private flush(): void {
    const visibleBefore = this.clock.now() - this.lagMs();
    while (this.head < this.pending.length) {
      const next = this.pending[this.head];
      if (!next || next.at > visibleBefore) break;
      this.typeMap(next.type).set(next.doc.id, next.doc);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  private typeMap(type: SandboxObjectType): Map<string, RecordView> {
    const map = this.visible.get(type);
    if (!map) throw new Error(`no search index for ${type}`);
    return map;
  }
}
