/**
 * Stored checkout views that may go out as stored. A version never changes
 * once written, so it is checked against the contract (readStoredView) the
 * first time this process serves it, and from then on its text is sent as
 * it is: no JSON.parse, no zod, no JSON.stringify per request. What is kept
 * per version is what a reader decides with (`final`, the late window's
 * end), not the text, which stays in the database; the oldest entries are
 * forgotten past `capacity`, and are checked again if asked for again.
 */
import { lateWindowEnd, readStored } from './view';

export interface ServedView {
  /** The view's JSON, as it goes out. */
  text: string;
  final: boolean;
  lateWindowEnd: number | null;
}

type Checked = Omit<ServedView, 'text'>;

export class CheckedViews {
  readonly #capacity: number;
  // Insertion order: the first key is the oldest.
  readonly #checked = new Map<string, Checked>();

  constructor(capacity = 100_000) {
    this.#capacity = capacity;
  }

  /** Version `version` of invoice `id` as this process wrote it (apply.ts: checkoutView made it): nothing to check. */
  written(id: string, version: number, view: ServedView): ServedView {
    this.#keep(`${id}:${version}`, { final: view.final, lateWindowEnd: view.lateWindowEnd });
    return view;
  }

  /**
   * Version `version` of invoice `id`, stored as `stored`: sent as stored
   * when it is a view of the current contract; a view stored by an earlier
   * Payframe goes out as read (readStoredView applies the rule of then).
   * Throws, as readStoredView does, for a corrupt one.
   */
  read(id: string, version: number, stored: string): ServedView {
    const key = `${id}:${version}`;
    const known = this.#checked.get(key);
    if (known) return { text: stored, final: known.final, lateWindowEnd: known.lateWindowEnd };
    const { view, current } = readStored(stored);
    const checked: Checked = { final: view.final, lateWindowEnd: lateWindowEnd(view) };
    if (!current) return { text: JSON.stringify(view), ...checked };
    this.#keep(key, checked);
    return { text: stored, ...checked };
  }

  #keep(key: string, checked: Checked): void {
    this.#checked.set(key, checked);
    if (this.#checked.size > this.#capacity) this.#checked.delete(this.#checked.keys().next().value!);
  }
}
