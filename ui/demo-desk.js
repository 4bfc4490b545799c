/**
 * The demo desk: a separate desk file beside the real one, for trying the app on made-up data.
 * The backend decides which desk is open and whether it is a demo desk (status.demoDesk); this
 * module only shows it: a banner above every screen (the desk, the lock and setup screens),
 * "NÄIDISANDMED" before the document's title, and the way there and back.
 */
import * as api from './api.js';
import { h } from './dom.js';
import { t, errorText } from './i18n/index.js';

const BANNER_ID = 'demo-banner';
const TITLE_MARK = 'NÄIDISANDMED – ';
let titleWatch = null;

/** Keeps "NÄIDISANDMED – " before the title, whatever a view sets it to. */
function markTitle(on) {
  const apply = () => {
    const title = document.title;
    if (on && !title.startsWith(TITLE_MARK)) document.title = TITLE_MARK + title;
    if (!on && title.startsWith(TITLE_MARK)) document.title = title.slice(TITLE_MARK.length);
  };
  if (titleWatch) titleWatch.disconnect();
  titleWatch = null;
  apply();
  const titleElement = document.querySelector('title');
  if (on && titleElement) {
    titleWatch = new MutationObserver(apply);
    titleWatch.observe(titleElement, { childList: true, characterData: true, subtree: true });
  }
}

/** Replaces this document with a fresh load: the other desk's screens, from its status. */
function reloadForOtherDesk() {
  window.location.hash = '#/';
  window.location.reload();
}

/** Shows or removes the banner for `status` (called whenever the shell applies a status). */
export function showDeskKind(status) {
  const demo = Boolean(status?.demoDesk);
  document.body.classList.toggle('demo-desk', demo);
  markTitle(demo);
  let banner = document.getElementById(BANNER_ID);
  if (!demo) {
    if (banner) banner.remove();
    return;
  }
  const error = h('span', { id: 'demo-back-error', role: 'alert' });
  const back = status.canReturnToReal
    ? h('button', { id: 'demo-back', type: 'button' }, t('demo.back'))
    : null;
  if (back) {
    back.addEventListener('click', async () => {
      back.disabled = true;
      try {
        await api.deskOpenReal();
        reloadForOtherDesk();
      } catch (e) {
        back.disabled = false;
        error.textContent = errorText(e);
      }
    });
  }
  const content = [
    h('strong', { text: 'NÄIDISANDMED' }),
    h('span', { text: t('demo.banner') }),
    error,
    back,
  ];
  if (!banner) {
    banner = h('aside', { id: BANNER_ID, class: 'demo-banner', 'aria-label': t('demo.bannerLabel') });
    document.body.insertBefore(banner, document.body.firstChild);
  }
  banner.setAttribute('aria-label', t('demo.bannerLabel'));
  banner.replaceChildren(...content.filter(Boolean));
}

/**
 * Opens the demo desk (created beside the real one on first use) and fills it with the demo
 * when it is new; then the window loads afresh on it. `onProgress(done, total)` follows the load.
 * Resolves with the number of demo cases written (0 when the demo desk already had them).
 */
export async function openDemoDesk() {
  const status = await api.demoOpen();
  if (status.state !== 'open') {
    // The demo desk asks for its own passphrase (no credential store): its setup or unlock
    // screen comes, with the banner above it.
    reloadForOtherDesk();
    return 0;
  }
  const result = await api.demoLoad();
  reloadForOtherDesk();
  return result.created;
}
