/**
 * A fresh document now and then. WebKit (2.50, the Linux app's engine) keeps memory for the
 * elements a page has built until the document itself goes, even after they were removed and
 * nothing refers to them: measured in the release app on the 100 000-case desk, each case view
 * (~1 450 elements) left ~0.55 MB in the web content process and 200 renders of the case list and
 * the dashboard ~31 MB, without levelling off; a reload gives it back (docs/performance.md:
 * memory). So once the pages left since the document loaded had `budget` elements in all,
 * the next navigation loads the page afresh instead of drawing it in place: the address already
 * names the page asked for, so the new document shows it, ~0.1 s slower than usual, about once
 * every 35 case views. Not while this document must stay: long work (a backup, an import, an
 * export) reports progress into it, or a meeting draft whose save failed waits in it.
 */
export const ELEMENT_BUDGET = 50_000;

export function createFreshness({ budget = ELEMENT_BUDGET } = {}) {
  let built = 0;
  return {
    /** A page with `count` elements was left. */
    rendered(count) {
      built += Math.max(0, Number(count) || 0);
    },
    /** Whether the next navigation should load a fresh document; `mustStay` says whether this
     * document holds what a reload would lose (asked only once the budget is spent). */
    async due(mustStay) {
      if (built < budget) return false;
      try {
        return !(await mustStay());
      } catch {
        return false; // unsure: draw in place, ask again at the next navigation
      }
    },
    get built() {
      return built;
    },
  };
}
