/**
 * Which desktop system the window runs on, judged from a navigator-like object: 'mac',
 * 'windows', 'linux' or 'other'. Pure; the navigator is passed in for tests.
 */
export function platformOf(nav = globalThis.navigator) {
  if (!nav) return 'other';
  const platform = (nav.userAgentData && nav.userAgentData.platform) || nav.platform || nav.userAgent || '';
  if (/mac/i.test(platform)) return 'mac';
  if (/win/i.test(platform)) return 'windows';
  if (/linux|x11/i.test(platform) && !/android/i.test(platform)) return 'linux';
  return 'other';
}
