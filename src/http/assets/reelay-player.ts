/**
 * `/assets/reelay-player.js`, the video page's only script (SPEC "Video page
 * and engagement"). Kept as text in a module so the compiled build serves
 * it with no file to copy. Plain ES2017, no dependencies, no globals left
 * behind. It finds `<video id="reelay-video" data-events-url="...">` and
 * `<a id="reelay-cta">`, and posts to the events URL:
 * - `play` each time playback starts (not when it resumes after seeking or
 *   buffering: `play` events after a pause or the end);
 * - `progress` at 25, 50 and 75 percent and `complete` (100), once each per
 *   page view;
 * - `cta` on a click of the call to action, by `navigator.sendBeacon` (else
 *   `fetch` with `keepalive`), so leaving the page does not lose it.
 * Bodies are JSON sent as `text/plain` (what `sendBeacon` may send without a
 * preflight); the server accepts both.
 */
export const reelayPlayerScript = String.raw`(function () {
  'use strict';
  var video = document.getElementById('reelay-video');
  if (!video) return;
  var url = video.getAttribute('data-events-url');
  if (!url) return;

  function send(type, percent, leaving) {
    var body = JSON.stringify({ type: type, percent: percent });
    try {
      if (leaving && navigator.sendBeacon && navigator.sendBeacon(url, body)) return;
      if (window.fetch) {
        window.fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: body, keepalive: true, credentials: 'omit' }).catch(function () {});
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', url, true);
      xhr.setRequestHeader('content-type', 'text/plain');
      xhr.send(body);
    } catch (e) {
      // Counting is best effort; the video plays regardless.
    }
  }

  var marks = [25, 50, 75, 100];
  var reached = {};
  var playing = false;

  video.addEventListener('play', function () {
    if (playing) return;
    playing = true;
    send('play', percentWatched(), false);
  });
  video.addEventListener('pause', function () {
    playing = false;
  });
  video.addEventListener('ended', function () {
    playing = false;
    mark(100);
  });
  video.addEventListener('timeupdate', function () {
    var p = percentWatched();
    for (var i = 0; i < marks.length; i++) if (p >= marks[i]) mark(marks[i]);
  });

  function percentWatched() {
    var d = video.duration;
    if (!d || !isFinite(d) || d <= 0) return 0;
    return Math.max(0, Math.min(100, Math.floor((video.currentTime / d) * 100)));
  }

  function mark(p) {
    if (reached[p]) return;
    reached[p] = true;
    send(p === 100 ? 'complete' : 'progress', p, false);
  }

  var cta = document.getElementById('reelay-cta');
  if (cta) {
    cta.addEventListener('click', function () {
      send('cta', percentWatched(), true);
    });
  }
})();
`;
