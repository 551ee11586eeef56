// Runs Knative networking's Ingress conformance tests (knative.dev/networking test/conformance/ingress, at the
// version Knative Serving pins) against the playground's KIngress (playground/kingress/), on a private playground:
// `npx tsx scripts/kingress-conformance.ts` (root; ~2 min once built, the first build ~10 min; not part of the default suite).
// The tests' images (IMAGES) are built from the same module and mapped in the virtual node's images.json.
// Prints each test's result and the tests left out, with why; exits non-zero when a test that runs fails.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir } from '../playground/info';
import { goModuleDir } from '../playground/knative-crds';
import { imagesFile } from '../playground/parts/virtual-node';
import { INGRESS_CLASS } from '../playground/parts/upstream-serving';
import { loadVersions } from '../playground/versions';
import { kubectl } from '../test/support/kubectl';
import { upUpstreamPlayground } from '../test/support/upstream-playground';

const IMAGE_REPOSITORY = 'knative-desk.conformance';
/** The test images the suite deploys, built as binaries by the build script. */
const IMAGES = ['runtime', 'retry', 'timeout', 'wsserver', 'grpc-ping', 'httpproxy'];

/** Left out here, and why (names as the conformance suite's run.go has them). */
export const LEFT_OUT: Record<string, string> = {};

function networkingVersion(): string {
  const serving = goModuleDir('knative.dev/serving', loadVersions().knativeServing);
  const match = /^\s*knative\.dev\/networking (v\S+)/m.exec(readFileSync(join(serving, 'go.mod'), 'utf8'));
  if (!match?.[1]) throw new Error("knative.dev/serving's go.mod does not require knative.dev/networking");
  return match[1];
}

async function main(): Promise<void> {
  const script = fileURLToPath(
    new URL('../playground/scripts/build-networking-conformance.sh', import.meta.url),
  );
  process.stderr.write('building the conformance tests (first time only)…\n');
  const out = execFileSync('bash', [script, defaultCacheDir(), networkingVersion()], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .at(-1)!;
  const upstream = await upUpstreamPlayground('conformance');
  let failed: boolean;
  try {
    const { info } = upstream;
    const created = await kubectl(info, ['create', 'namespace', 'serving-tests']);
    if (created.code !== 0 && !created.stderr.includes('AlreadyExists')) throw new Error(created.stderr);
    // The node reads images.json at every container start.
    const images = JSON.parse(readFileSync(imagesFile(info.dir), 'utf8')) as Record<string, unknown>;
    for (const image of IMAGES) {
      images[`${IMAGE_REPOSITORY}/${image}:latest`] = { command: [join(out, image)] };
    }
    writeFileSync(imagesFile(info.dir), `${JSON.stringify(images, null, 2)}\n`);
    const log = join(info.dir, 'logs', 'conformance.log');
    const child = spawn(
      join(out, 'conformance.test'),
      [
        '-test.run=TestIngressConformance',
        '-test.v',
        '-test.timeout=15m',
        '-test.parallel=3',
        `-kubeconfig=${info.kubeconfig}`,
        `-ingressClass=${INGRESS_CLASS}`,
        `-dockerrepo=${IMAGE_REPOSITORY}`,
        '-tag=latest',
        '-enable-alpha',
        '-enable-beta',
        ...(Object.keys(LEFT_OUT).length > 0 ? [`-skip-tests=${Object.keys(LEFT_OUT).join(',')}`] : []),
      ],
      { env: { ...process.env, KUBECONFIG: info.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const file = createWriteStream(log);
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        file.write(chunk);
        output += chunk.toString();
      });
    }
    const code = await new Promise<number | null>((done) => child.on('close', done));
    file.end();
    const results = [...output.matchAll(/--- (PASS|FAIL|SKIP): TestIngressConformance\/(\S+)/g)];
    for (const [, verdict, name] of results) {
      if (verdict === 'SKIP' && name && LEFT_OUT[name]) continue;
      console.log(`${verdict?.toLowerCase()}: ${name}`);
    }
    for (const [name, why] of Object.entries(LEFT_OUT)) console.log(`left out: ${name} — ${why}`);
    console.log(`log: ${log}`);
    failed = code !== 0;
  } finally {
    await upstream.release();
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`conformance run failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
