/** A tiny change-listener set shared by the fakes (the sandbox page re-renders on change). */
export class Listeners<T> {
  readonly #fns = new Set<(event: T) => void>();

  add(fn: (event: T) => void): () => void {
    this.#fns.add(fn);
    return () => this.#fns.delete(fn);
  }

  emit(event: T): void {
    for (const fn of this.#fns) {
      try {
        fn(event);
      } catch {
        // A broken page listener must not break the fake's HTTP answer.
      }
    }
  }
}
