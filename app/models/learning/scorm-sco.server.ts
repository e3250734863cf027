/**
 * The files of the SCO that a SCORM 1.2 launch package carries
 * (docs/decisions/031). They run inside the LMS's frame, on the LMS's origin:
 * no lesson content, no question and no answer is in them, only the address
 * of Distinct and the package's signed launch token.
 */

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

export function manifestXml(input: { identifier: string; title: string; masteryScore: number | null }): string {
  const title = escapeXml(input.title);
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${escapeXml(input.identifier)}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="distinct">
    <organization identifier="distinct">
      <title>${title}</title>
      <item identifier="module" identifierref="launch" isvisible="true">
        <title>${title}</title>${input.masteryScore === null ? "" : `\n        <adlcp:masteryscore>${input.masteryScore}</adlcp:masteryscore>`}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="launch" type="webcontent" adlcp:scormtype="sco" href="launch.html">
      <file href="launch.html"/>
      <file href="distinct-sco.js"/>
    </resource>
  </resources>
</manifest>
`;
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function launchHtml(input: { title: string; appUrl: string; token: string; organisation: string }): string {
  const title = escapeHtml(input.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 1.5rem; color: #0b0c0c; max-width: 40em; }
button, a.button { font: inherit; font-weight: 700; padding: 0.6em 1em; background: #00703c; color: #fff; border: 0; box-shadow: 0 2px 0 #002d18; cursor: pointer; text-decoration: none; display: inline-block; }
button:focus, a:focus { outline: 3px solid #fd0; outline-offset: 0; }
#status { font-weight: 700; }
</style>
</head>
<body>
<main>
<h1>${title}</h1>
<p>This module is taught and assessed in Distinct for ${escapeHtml(input.organisation)}. It opens in a new window: sign in there with your work account, complete the module, then come back here. Your result is sent to this course when you finish.</p>
<p><a class="button" id="open" href="${escapeHtml(input.appUrl)}/modules" target="_blank" rel="opener">Open the module in Distinct</a></p>
<p id="status" role="status" aria-live="polite">Not started.</p>
<noscript><p>Your browser must run JavaScript for this course to record your result.</p></noscript>
</main>
<script src="distinct-sco.js" data-app="${escapeHtml(input.appUrl)}" data-token="${escapeHtml(input.token)}"></script>
</body>
</html>
`;
}

/**
 * The SCO's script: finds the LMS's SCORM 1.2 API (window.API in a parent
 * frame or the opener), opens Distinct in a window with the token and a
 * random key of its own, and polls Distinct's result endpoint with that key
 * until the learner has passed; then it records the status, the score and
 * the session time in the LMS and finishes.
 */
export const SCO_SCRIPT = `(function () {
  "use strict";
  var script = document.currentScript;
  var APP = script.getAttribute("data-app");
  var TOKEN = script.getAttribute("data-token");
  var POLL_MS = 3000;
  var statusEl = document.getElementById("status");
  var openEl = document.getElementById("open");

  function findAPI(win) {
    for (var i = 0; win && i < 10; i++) {
      try { if (win.API) return win.API; } catch (e) { /* another origin's frame */ }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = findAPI(window) || (window.opener ? findAPI(window.opener) : null);
  var began = Date.now();
  var finished = false;
  var timer = null;
  var bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  var key = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");

  function say(text) { statusEl.textContent = text; }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  /* SCORM 1.2 CMITimespan: HHHH:MM:SS.SS */
  function sessionTime() {
    var cs = Math.floor((Date.now() - began) / 10);
    var h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = Math.floor(cs / 100) % 60, c = cs % 100;
    return pad(h, 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(c, 2);
  }

  var learnerId = "";
  if (api) {
    api.LMSInitialize("");
    learnerId = String(api.LMSGetValue("cmi.core.student_id") || "");
    var status = api.LMSGetValue("cmi.core.lesson_status");
    if (!status || status === "not attempted") api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    api.LMSCommit("");
  } else {
    say("This course could not find the learning system's SCORM API, so your result will be recorded in Distinct only.");
  }

  var launchUrl = APP + "/scorm/launch?t=" + encodeURIComponent(TOKEN) + "&k=" + key + (learnerId ? "&lms=" + encodeURIComponent(learnerId.slice(0, 200)) : "");
  openEl.href = launchUrl;
  openEl.addEventListener("click", function () {
    say("Opened in a new window. Complete the module there; this page checks for your result.");
    poll();
  });
  window.addEventListener("focus", check);

  function poll() { if (!timer && !finished) { timer = setInterval(check, POLL_MS); check(); } }

  function record(result) {
    if (!api || finished) return;
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    if (result.scoreRaw !== null) api.LMSSetValue("cmi.core.score.raw", String(result.scoreRaw));
    api.LMSSetValue("cmi.core.lesson_status", result.state);
    api.LMSSetValue("cmi.core.session_time", sessionTime());
    api.LMSCommit("");
  }

  function finish() {
    if (finished) return;
    finished = true;
    if (timer) clearInterval(timer);
    if (api) {
      api.LMSSetValue("cmi.core.session_time", sessionTime());
      api.LMSCommit("");
      api.LMSFinish("");
    }
  }

  function check() {
    if (finished) return;
    fetch(APP + "/scorm/result?t=" + encodeURIComponent(TOKEN) + "&k=" + key, { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (result.state === "passed" || result.state === "completed") {
          record(result);
          finish();
          say(result.state === "passed" ? "Completed: you passed with " + result.scoreRaw + "%. Your result is recorded." : "Completed. Your result is recorded.");
        } else if (result.state === "failed") {
          record(result);
          say("Not passed yet (" + result.scoreRaw + "%). You can try the assessment again in Distinct.");
        } else if (result.state === "incomplete") {
          say("In progress in Distinct.");
        }
      })
      .catch(function () { say("Distinct could not be reached. Checking again shortly."); });
  }

  window.addEventListener("pagehide", finish);
})();
`;
