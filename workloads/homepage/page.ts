// The public page at `/`: a send box and a live danmaku wall fed by the SSE stream. Plain HTML + a small script
// (no build step, so the FC image stays small); the wall uses the `danmaku` library (weizhenye/Danmaku), whose
// lane layout keeps comments from overlapping, served from node_modules at /assets/danmaku.js.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let danmakuScript: string | undefined;
/** The danmaku library's browser build (UMD, defines `Danmaku`). */
export function danmakuBrowserScript(): string {
  danmakuScript ??= readFileSync(require.resolve('danmaku/dist/danmaku.min.js'), 'utf8');
  return danmakuScript;
}

export const homepageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Barrage</title>
<style>
  :root { color-scheme: dark; font-family: system-ui, sans-serif; }
  body { margin: 0; background: #101418; color: #e8eef2; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 12px 16px; display: flex; gap: 12px; align-items: center; border-bottom: 1px solid #24303a; }
  h1 { font-size: 18px; margin: 0 12px 0 0; }
  form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; flex: 1; }
  input[type=text] { flex: 1; min-width: 200px; padding: 8px; border-radius: 6px; border: 1px solid #3a4a58; background: #0b0f12; color: inherit; }
  input[name=user] { flex: 0 0 120px; min-width: 0; }
  button { padding: 8px 16px; border-radius: 6px; border: 0; background: #2f81f7; color: white; cursor: pointer; }
  #status { font-size: 13px; color: #9fb0bf; min-width: 180px; }
  #wall { position: relative; flex: 1; overflow: hidden; background: radial-gradient(#1a2430, #0b0f12); }
  #count { position: absolute; right: 12px; bottom: 8px; font-size: 12px; color: #70808f; }
</style>
</head>
<body>
<header>
  <h1>Barrage</h1>
  <form id="send">
    <input type="text" name="text" maxlength="100" placeholder="Say something (1–100 characters)" required autocomplete="off">
    <input type="text" name="user" maxlength="64" placeholder="name (optional)">
    <input type="color" name="color" value="#ffffff" title="colour">
    <select name="mode" title="where it shows"><option value="scroll">scroll</option><option value="top">top</option><option value="bottom">bottom</option></select>
    <button type="submit">Send</button>
  </form>
  <span id="status" role="status"></span>
</header>
<div id="wall"><span id="count">0 shown</span></div>
<script src="assets/danmaku.js"></script>
<script>
  const wall = document.getElementById('wall');
  const status = document.getElementById('status');
  const count = document.getElementById('count');
  const danmaku = new Danmaku({ container: wall, engine: 'dom', speed: 144 });
  window.addEventListener('resize', () => danmaku.resize());
  const modes = { scroll: 'rtl', top: 'top', bottom: 'bottom' };
  let shown = 0;
  const stream = new EventSource('api/barrage/stream');
  stream.addEventListener('barrage', (event) => {
    const result = JSON.parse(event.data);
    danmaku.emit({
      text: result.text,
      mode: modes[result.mode] || 'rtl',
      style: { fontSize: '24px', color: result.color, textShadow: '0 0 2px #000', whiteSpace: 'pre',
               opacity: result.flags.includes('rate-limited') ? '0.5' : '1' },
    });
    shown += 1;
    count.textContent = shown + ' shown';
  });
  stream.onopen = () => { status.textContent = 'live'; };
  stream.onerror = () => { status.textContent = 'reconnecting…'; };
  document.getElementById('send').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { text: form.get('text'), color: form.get('color'), mode: form.get('mode') };
    if (form.get('user')) body.user = form.get('user');
    status.textContent = 'sending…';
    try {
      const response = await fetch('api/barrage', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await response.json();
      if (response.status === 202) { status.textContent = 'sent'; event.target.elements.text.value = ''; }
      else status.textContent = answer.field ? answer.field + ' ' + answer.reason : answer.error;
    } catch (error) { status.textContent = 'could not send: ' + error.message; }
  });
</script>
</body>
</html>
`;
